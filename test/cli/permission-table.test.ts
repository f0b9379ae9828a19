import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { DEFAULT_COMMAND_RULES } from '../../src/domain/people.js';

// issue 13 §2: "every command declares its minimum role in one table, and commands added later add
// their row". The program's commands and the table's rows, both ways.

function leafCommands(): string[] {
  const { command } = buildProgram('0.0.0');
  const names: string[] = [];
  const walk = (cmd: Command, prefix: string): void => {
    for (const sub of cmd.commands) {
      const name = prefix === '' ? sub.name() : `${prefix} ${sub.name()}`;
      if (sub.commands.length === 0) names.push(name);
      else walk(sub, name);
    }
  };
  walk(command, '');
  return names.filter((n) => n !== 'help');
}

describe('the permission table', () => {
  it('has a row for every command of the program', () => {
    const missing = leafCommands().filter((name) => DEFAULT_COMMAND_RULES[name] === undefined);
    expect(missing).toEqual([]);
  });

  it('gives the two invocations with rules of their own a row: overdue --new writes, show --reveal records a reading', () => {
    expect(DEFAULT_COMMAND_RULES['overdue --new']).toEqual({ min: 'clerk', system: true });
    expect(DEFAULT_COMMAND_RULES['show --reveal']).toEqual({ min: 'clerk' });
  });

  it('says which invocations only read the file, and so work on a file the user cannot write', () => {
    const reading = Object.entries(DEFAULT_COMMAND_RULES).filter(([, r]) => r.reads).map(([c]) => c).sort();
    expect(reading).toEqual([
      'approvals', 'backup', 'calendar show', 'lists show', 'list', 'office show', 'overdue', 'people list', 'permissions show', 'procedure export',
      'procedure show', 'report', 'show', 'sla show', 'stages show', 'units list', 'verify',
    ].sort());
  });

  it('lets the system role run the scheduled commands and nothing that changes a ticket or a setting', () => {
    const system = Object.entries(DEFAULT_COMMAND_RULES).filter(([, r]) => r.system).map(([c]) => c).sort();
    expect(system).toEqual(['backup', 'overdue', 'overdue --new', 'upgrade', 'verify']);
  });
});
