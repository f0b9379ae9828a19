import type * as Jsonc from 'jsonc-parser/lib/esm/main.js';
import { UsageError } from '../domain/errors.js';
import { BUILTIN_STAGES, type Severity } from '../domain/model.js';
import {
  isBuiltinStage, LIST_NAMES, listItemEntry, STAGE_CLOCKS, stageEntry, type ListItem, type ListName, type Procedure, type ProcedureProblem, type StageClock,
  type StageRule, type StageStart,
} from '../domain/procedure.js';
import { parseDuration, SLA_COLUMNS } from '../domain/sla.js';
import { t, type MessageKey } from '../messages/index.js';
import { display } from '../ui/cells.js';
import { problemText } from '../ui/procedure-view.js';
import { readBoundedFile } from './bounded-file.js';
import { parseText, printable } from './input.js';

// The procedure exchange document (`procedure export` / `procedure import`): JSON an office can
// read, keep under version control and annotate (comments are allowed on import). Its keys are the
// names procedureProblems uses in its paths (`stages[5].sla.general`, `lists.channel[2].label_en`),
// so a problem found on the whole procedure is traced back to the line that caused it.

export const PROCEDURE_FORMAT = 1;
/** A procedure is a few kilobytes; a path may name anything (a log file, /dev/zero). */
const MAX_BYTES = 1024 * 1024;

const ROOT_KEYS = ['complaints_procedure', 'lists', 'stages'] as const;
const ITEM_KEYS = ['code', 'label_en', 'label_zh', 'retired'] as const;
const STAGE_KEYS = ['code', 'label_en', 'label_zh', 'builtin', 'start', 'clock', 'pausable', 'sla', 'only_severity', 'only_type', 'retired'] as const;

export function procedureEntry(p: Pick<Procedure, 'lists' | 'stages'>): Record<string, unknown> {
  return {
    complaints_procedure: PROCEDURE_FORMAT,
    lists: Object.fromEntries(LIST_NAMES.map((name) => [name, p.lists[name].map(listItemEntry)])),
    stages: p.stages.map(stageEntry),
  };
}

/** The document `procedure export` writes: every list and stage, in the office's order. */
export function procedureFileText(p: Pick<Procedure, 'lists' | 'stages'>): string {
  return `${JSON.stringify(procedureEntry(p), null, 2)}\n`;
}

/** Reads the file, refusing one larger than a procedure can be before it is parsed. */
export function readProcedureFile(file: string): string {
  return readBoundedFile(file, MAX_BYTES, { unreadable: 'procedure_file_unreadable', tooLarge: 'procedure_file_too_large' });
}

export interface ProcedureDocument {
  /** Only the lists the document gives; the others stay as the office has them. */
  lists: Partial<Record<ListName, ListItem[]>>;
  /** null: the document gives no stages; the office's stay. */
  stages: StageRule[] | null;
  /** The line of the value a problem's path names (or of the nearest part of it the document has). */
  lineOf(path: string): number;
}

/** A shape problem: where (the node) and what, until the file's name and line are put to it. */
class Refusal extends Error {
  constructor(readonly node: Jsonc.Node, readonly path: string, readonly problem: MessageKey, readonly params: Record<string, string | number> = {}) {
    super(problem);
  }
}

/**
 * The document in `text`, checked for its shape: known keys only, each of the right type, every
 * duration readable. What the values mean together (codes, starts, built-in stages) is the
 * caller's to check with procedureProblems and `refusal`. Throws a UsageError naming the line.
 */
export function parseProcedureDocument(jsonc: typeof Jsonc, file: string, text: string): ProcedureDocument {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineAt = (offset: number): number => {
    let line = 1;
    for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
    return line;
  };
  const errors: Jsonc.ParseError[] = [];
  const root = jsonc.parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || root === undefined) {
    throw new UsageError('procedure_file_syntax', { file: display(file), line: lineAt(errors[0]?.offset ?? 0) });
  }
  try {
    const { lists, stages } = readRoot(root);
    return {
      lists,
      stages,
      lineOf(path: string): number {
        const segments = pathSegments(path);
        for (let n = segments.length; n >= 0; n--) {
          const node = jsonc.findNodeAtLocation(root, segments.slice(0, n));
          if (node !== undefined) return lineAt(node.offset);
        }
        return 1;
      },
    };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    throw new UsageError('procedure_file_problem', { file: display(file), line: lineAt(e.node.offset), path: e.path, problem: t(e.problem, e.params) });
  }
}

/** The one line refusing an imported procedure for a problem procedureProblems found. */
export function refusal(file: string, document: ProcedureDocument, problem: ProcedureProblem): UsageError {
  return new UsageError('procedure_file_problem', {
    file: display(file), line: document.lineOf(problem.path), path: problem.path, problem: problemText(problem),
  });
}

function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/([a-z_]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1]! : Number(m[2])));
}

// ---------------------------------------------------------------------------------------------
// The shape, part by part

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function fields(node: Jsonc.Node, path: string, accepted: readonly string[]): Map<string, Jsonc.Node> {
  if (node.type !== 'object') throw new Refusal(node, path || '(document)', 'procedure_file_not_object');
  const found = new Map<string, Jsonc.Node>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const key = String(keyNode?.value);
    if (!accepted.includes(key)) {
      throw new Refusal(keyNode ?? property, at(path, printable(key)), 'procedure_file_unknown_key', { accepted: accepted.join(', ') });
    }
    if (found.has(key)) throw new Refusal(keyNode!, at(path, key), 'procedure_file_duplicate_key');
    found.set(key, valueNode!);
  }
  return found;
}

function required(found: Map<string, Jsonc.Node>, parent: Jsonc.Node, path: string, key: string): Jsonc.Node {
  const node = found.get(key);
  if (node === undefined) throw new Refusal(parent, at(path, key), 'procedure_file_missing');
  return node;
}

function elements(node: Jsonc.Node, path: string): Jsonc.Node[] {
  if (node.type !== 'array') throw new Refusal(node, path, 'procedure_file_not_array');
  return node.children ?? [];
}

function text(node: Jsonc.Node, path: string): string {
  if (node.type !== 'string') throw new Refusal(node, path, 'procedure_file_not_text');
  return node.value as string;
}

function flag(node: Jsonc.Node | undefined, path: string, otherwise: boolean): boolean {
  if (node === undefined) return otherwise;
  if (node.type !== 'boolean') throw new Refusal(node, path, 'procedure_file_not_boolean');
  return node.value as boolean;
}

/** A label: text as a name is (one line, printable), or null / absent for the catalogue's. */
function label(node: Jsonc.Node | undefined, path: string): string | null {
  if (node === undefined || node.type === 'null') return null;
  if (node.type !== 'string') throw new Refusal(node, path, 'procedure_file_not_text_or_null');
  try {
    return parseText(path, node.value as string, { kind: 'name' });
  } catch (e) {
    if (e instanceof UsageError) throw new Refusal(node, path, 'procedure_file_bad_label');
    throw e;
  }
}

function codes(node: Jsonc.Node | undefined, path: string): string[] | null {
  if (node === undefined || node.type === 'null') return null;
  if (node.type !== 'array') throw new Refusal(node, path, 'procedure_file_not_codes');
  return (node.children ?? []).map((child) => {
    if (child.type !== 'string') throw new Refusal(child, path, 'procedure_file_not_codes');
    return child.value as string;
  });
}

function readRoot(root: Jsonc.Node): Pick<ProcedureDocument, 'lists' | 'stages'> {
  const found = fields(root, '', ROOT_KEYS);
  const format = required(found, root, '', 'complaints_procedure');
  if (format.value !== PROCEDURE_FORMAT) {
    throw new Refusal(format, 'complaints_procedure', 'procedure_file_format', { value: printable(String(format.value)), format: PROCEDURE_FORMAT });
  }
  const lists: Partial<Record<ListName, ListItem[]>> = {};
  const listsNode = found.get('lists');
  if (listsNode !== undefined) {
    for (const [name, node] of fields(listsNode, 'lists', LIST_NAMES)) {
      lists[name as ListName] = elements(node, `lists.${name}`).map((itemNode, i) => listItem(itemNode, `lists.${name}[${i}]`));
    }
  }
  const stagesNode = found.get('stages');
  const stages = stagesNode === undefined ? null : elements(stagesNode, 'stages').map((node, i) => stage(node, `stages[${i}]`));
  return { lists, stages };
}

function listItem(node: Jsonc.Node, path: string): ListItem {
  const found = fields(node, path, ITEM_KEYS);
  return {
    code: text(required(found, node, path, 'code'), at(path, 'code')),
    labels: { en: label(found.get('label_en'), at(path, 'label_en')), zh: label(found.get('label_zh'), at(path, 'label_zh')) },
    retired: flag(found.get('retired'), at(path, 'retired'), false),
  };
}

function stage(node: Jsonc.Node, path: string): StageRule {
  const found = fields(node, path, STAGE_KEYS);
  const code = text(required(found, node, path, 'code'), at(path, 'code'));
  const builtinNode = found.get('builtin');
  if (flag(builtinNode, at(path, 'builtin'), isBuiltinStage(code)) !== isBuiltinStage(code)) {
    throw new Refusal(builtinNode!, at(path, 'builtin'), 'procedure_file_builtin', { stages: BUILTIN_STAGES.join(', ') });
  }
  const clockNode = found.get('clock');
  const clock = clockNode === undefined ? 'working' : text(clockNode, at(path, 'clock'));
  if (!(STAGE_CLOCKS as readonly string[]).includes(clock)) {
    throw new Refusal(clockNode!, at(path, 'clock'), 'procedure_file_choice', { value: printable(clock), accepted: STAGE_CLOCKS.join(', ') });
  }
  const slaPath = at(path, 'sla');
  const slaNode = required(found, node, path, 'sla');
  const given = fields(slaNode, slaPath, SLA_COLUMNS);
  const sla = Object.fromEntries(SLA_COLUMNS.map((column) => {
    const value = given.get(column);
    if (value === undefined || value.type === 'null') return [column, null];
    const written = text(value, at(slaPath, column));
    const duration = parseDuration(written);
    if (duration === null) throw new Refusal(value, at(slaPath, column), 'procedure_bad_duration', { value: printable(written) });
    return [column, duration];
  })) as StageRule['sla'];
  return {
    code,
    labels: { en: label(found.get('label_en'), at(path, 'label_en')), zh: label(found.get('label_zh'), at(path, 'label_zh')) },
    builtin: isBuiltinStage(code),
    start: text(required(found, node, path, 'start'), at(path, 'start')) as StageStart,
    clock: clock as StageClock,
    pausable: flag(found.get('pausable'), at(path, 'pausable'), false),
    sla,
    // Checked against the severities and the office's types with the rest (procedureProblems).
    onlySeverities: codes(found.get('only_severity'), at(path, 'only_severity')) as Severity[] | null,
    onlyTypes: codes(found.get('only_type'), at(path, 'only_type')),
    retired: flag(found.get('retired'), at(path, 'retired'), false),
  };
}
