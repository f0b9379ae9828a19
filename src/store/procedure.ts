import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/events.js';
import type { Policy } from '../domain/lifecycle.js';
import { SEVERITIES, type Severity } from '../domain/model.js';
import {
  LIST_NAMES, stageSlaText, type ListItem, type ListName, type Lists, type Procedure, type StageClock, type StageRule, type StageStart,
} from '../domain/procedure.js';
import { parseDuration, type Duration } from '../domain/sla.js';
import type { Instant } from '../domain/time.js';
import { recomputeOpenDeadlines } from './recompute.js';
import type { ListItemsTable, StagesTable } from './schema.js';
import { loadCalendar, loadCalendarWith, readSetting, writeSetting } from './settings.js';
import type { Db } from './store.js';
import { appendOfficeEvent } from './tickets.js';

// The office's procedure in its two tables (schema 5): read whole (a few dozen rows), and written
// only through `saveProcedure`, which also counts the version, records the change in the log and
// recomputes the open deadlines the change moves, all in the caller's transaction.

const VERSION_SETTING = 'procedure_version';

export async function loadProcedureVersion(db: Db): Promise<number> {
  return (await readSetting<number>(db, VERSION_SETTING)) ?? 1;
}

export async function loadStages(db: Db): Promise<StageRule[]> {
  const rows = await db.all(db.qb.selectFrom('stages').selectAll().orderBy('position'));
  return rows.map(rowStage);
}

export async function loadLists(db: Db): Promise<Lists> {
  const rows = await db.all(db.qb.selectFrom('list_items').selectAll().orderBy('list').orderBy('position'));
  const lists = Object.fromEntries(LIST_NAMES.map((name) => [name, [] as ListItem[]])) as Record<ListName, ListItem[]>;
  for (const r of rows) lists[r.list as ListName]?.push({ code: r.code, labels: { en: r.label_en, zh: r.label_zh }, retired: r.retired === 1 });
  return lists;
}

export async function loadProcedure(db: Db): Promise<Procedure> {
  return { version: await loadProcedureVersion(db), lists: await loadLists(db), stages: await loadStages(db) };
}

/** What deadlines are computed against: read inside the transaction that applies it. */
export async function loadPolicy(db: Db): Promise<Policy> {
  const { calendar, also } = await loadCalendarWith(db, [VERSION_SETTING]);
  return { calendar, stages: await loadStages(db), procedureVersion: (also.get(VERSION_SETTING) as number | undefined) ?? 1 };
}

/**
 * What the log commits to of a procedure: a hash of its lists and stages as saved. Each
 * `procedure_changed` event carries the one after it, so `verify` tells a procedure changed in the
 * tables behind the log's back (deadlines are computed from it) from one changed by a command.
 */
export function procedureDigest(p: Pick<Procedure, 'lists' | 'stages'>): string {
  return createHash('sha256').update(canonicalJson({ lists: p.lists, stages: p.stages })).digest('hex');
}

export interface ProcedureChange {
  actor: string;
  at: Instant;
  /** What was done, as the log tells it: `lists add channel fax`, `stages set acknowledge`, `procedure import`. */
  change: string;
  /** The part that changed, before and after (null: it did not exist). */
  before: unknown;
  after: unknown;
}

/**
 * Saves the next procedure (already checked: domain/procedure.ts procedureProblems), one version
 * on, with a `procedure_changed` event; when its stages changed, the deadlines not yet met are
 * computed again under them (each ticket getting a `deadlines_recomputed` event), as after an SLA
 * or calendar change. Returns the new version and how many tickets' deadlines moved. A procedure
 * the same as the one in force is not saved again: no new version, no event (`changed` false).
 */
export async function saveProcedure(
  db: Db,
  before: Procedure,
  after: Pick<Procedure, 'lists' | 'stages'>,
  change: ProcedureChange,
): Promise<{ version: number; recomputed: number; changed: boolean }> {
  if (procedureDigest(before) === procedureDigest(after)) return { version: before.version, recomputed: 0, changed: false };
  const version = before.version + 1;
  await db.run(db.qb.deleteFrom('list_items'));
  const items: ListItemsTable[] = LIST_NAMES.flatMap((list) => after.lists[list].map((item, i) => ({
    list, code: item.code, position: i + 1, label_en: item.labels.en, label_zh: item.labels.zh, retired: item.retired ? 1 : 0,
  })));
  if (items.length > 0) await db.run(db.qb.insertInto('list_items').values(items));
  await db.run(db.qb.deleteFrom('stages'));
  await db.run(db.qb.insertInto('stages').values(after.stages.map((rule, i) => stageRow(rule, i + 1))));
  await writeSetting(db, VERSION_SETTING, version);
  await appendOfficeEvent(db, {
    kind: 'procedure_changed', actor: change.actor, at: change.at, recordedAt: change.at,
    details: { version, change: change.change, before: change.before ?? null, after: change.after ?? null, digest: procedureDigest(after) },
  });
  let recomputed = 0;
  if (canonicalJson(before.stages.map(timing)) !== canonicalJson(after.stages.map(timing))) {
    const policy: Policy = { calendar: await loadCalendar(db), stages: after.stages, procedureVersion: version };
    recomputed = await recomputeOpenDeadlines(db, policy, {
      actor: change.actor, at: change.at, recordedAt: change.at, reason: change.change, reallocate: true,
    });
  }
  return { version, recomputed, changed: true };
}

/** What of a stage moves deadlines: everything but its labels (a new label moves none). */
function timing({ labels: _labels, ...rule }: StageRule): Omit<StageRule, 'labels'> {
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Rows

function duration(text: string | null): Duration | null {
  return text === null ? null : parseDuration(text);
}

const codes = (text: string | null): string[] | null => (text === null ? null : text.split(',').filter((c) => c !== ''));

function rowStage(r: StagesTable): StageRule {
  return {
    code: r.code,
    labels: { en: r.label_en, zh: r.label_zh },
    builtin: r.builtin === 1,
    start: r.start as StageStart,
    clock: r.clock as StageClock,
    pausable: r.pausable === 1,
    sla: { general: duration(r.sla_general), important: duration(r.sla_important), major: duration(r.sla_major), urgent: duration(r.sla_urgent) },
    onlySeverities: codes(r.only_severity)?.filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s)) ?? null,
    onlyTypes: codes(r.only_type),
    retired: r.retired === 1,
  };
}

/** One stage row added as it is (schema 7's approval stage on an office still on its first procedure). */
export async function insertStage(db: Db, rule: StageRule, position: number): Promise<void> {
  await db.run(db.qb.insertInto('stages').values(stageRow(rule, position)));
}

function stageRow(rule: StageRule, position: number): StagesTable {
  const sla = stageSlaText(rule.sla);
  return {
    code: rule.code, position, builtin: rule.builtin ? 1 : 0, start: rule.start, clock: rule.clock, pausable: rule.pausable ? 1 : 0,
    sla_general: sla.general, sla_important: sla.important, sla_major: sla.major, sla_urgent: sla.urgent,
    only_severity: rule.onlySeverities === null ? null : rule.onlySeverities.join(','),
    only_type: rule.onlyTypes === null ? null : rule.onlyTypes.join(','),
    label_en: rule.labels.en, label_zh: rule.labels.zh, retired: rule.retired ? 1 : 0,
  };
}
