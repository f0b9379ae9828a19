import { describe, expect, it } from 'vitest';
import { requireKnownUnit, unitFilter } from '../../src/cli/units.js';
import { UsageError } from '../../src/domain/errors.js';
import type { Unit } from '../../src/domain/people.js';

// Issue 13 §1: once the office registers units, `--unit` takes only those, found width- and
// case-insensitively and given back as registered; a typo names the nearest.

const unit = (name: string, retired = false): Unit => ({ name, leader: null, parent: null, retired });
const UNITS = [unit('物流部'), unit('质量部'), unit('QA'), unit('售后服务部', true)];

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('requireKnownUnit', () => {
  it('keeps free text, as typed, while no unit is registered', () => {
    expect(requireKnownUnit('--unit', '物流布', [], true)).toBe('物流布');
  });

  it('gives the registered name for any width or case typed', () => {
    expect(requireKnownUnit('--unit', '物流部', UNITS, true)).toBe('物流部');
    expect(requireKnownUnit('--unit', 'ｑａ', UNITS, true)).toBe('QA');
    expect(requireKnownUnit('--unit', ' qa ', UNITS, false)).toBe('QA');
  });

  it('refuses a typo naming the nearest unit, exit 2', () => {
    const e = refusal(() => requireKnownUnit('--unit', '物流布', UNITS, true));
    expect(e.exitCode).toBe(2);
    expect(e.key).toBe('unit_unknown_near');
    expect(e.params).toMatchObject({ field: '--unit', value: '物流布', suggestion: '物流部' });
  });

  it('names the units there are when none is near; a retired one only for a filter', () => {
    const forWork = refusal(() => requireKnownUnit('--unit', '财务部', UNITS, true));
    expect(forWork.key).toBe('unit_unknown');
    expect(String(forWork.params.accepted)).not.toContain('售后服务部');
    const forFilter = refusal(() => requireKnownUnit('--unit', '财务部', UNITS, false));
    expect(String(forFilter.params.accepted)).toContain('售后服务部');
  });

  it('refuses a retired unit new work but finds it as a filter', () => {
    expect(refusal(() => requireKnownUnit('--unit', '售后服务部', UNITS, true)).key).toBe('unit_retired');
    expect(requireKnownUnit('--unit', '售后服务部', UNITS, false)).toBe('售后服务部');
  });
});

describe('unitFilter', () => {
  it('reads a comma-separated list of registered units, retired ones included', () => {
    expect(unitFilter('--unit', 'qa,售后服务部', UNITS)).toEqual(['QA', '售后服务部']);
    expect(unitFilter('--unit', undefined, UNITS)).toBeUndefined();
    expect(refusal(() => unitFilter('--unit', 'qa,物流布', UNITS)).key).toBe('unit_unknown_near');
    expect(refusal(() => unitFilter('--unit', 'qa,', UNITS)).key).toBe('empty_text');
  });
});
