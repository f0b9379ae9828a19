import type { Context } from '../cli/context.js';
import { parseProcedureDocument, procedureEntry, procedureFileText, readProcedureFile, refusal } from '../cli/procedure-file.js';
import { UsageError } from '../domain/errors.js';
import { activeCodes, importedProcedure, LIST_NAMES, procedureProblems } from '../domain/procedure.js';
import { t } from '../messages/index.js';
import { writeOutputFile } from '../store/output-file.js';
import { loadProcedure, saveProcedure } from '../store/procedure.js';
import { display } from '../ui/cells.js';
import { procedureDocument, renderProcedure } from '../ui/procedure-view.js';
import { printJson } from '../ui/ticket-json.js';

// `procedure`: the office's lists and stages as one document (issue 11 §3): read as a page, moved
// between offices as a file, and taken in whole or not at all.

export async function show(ctx: Context, options: { json?: boolean }): Promise<void> {
  const p = await (await ctx.store()).read(loadProcedure);
  if (options.json) printJson(ctx.io.out, procedureDocument(p));
  else ctx.io.out(renderProcedure(p, ctx.io.width));
}

export async function exportFile(ctx: Context, file: string, options: { force?: boolean }): Promise<void> {
  if (file.trim() === '') throw new UsageError('empty_text', { field: 'FILE' });
  const p = await (await ctx.store()).read(loadProcedure);
  const written = await writeOutputFile(file, procedureFileText(p), { database: ctx.dbPath, force: Boolean(options.force), failed: 'procedure_export_failed' });
  ctx.io.out(t('procedure_exported', { version: p.version, path: display(written.path) }));
}

/**
 * Everything is checked before anything is written: the document's shape, then the procedure it
 * would make (every reference resolves, every duration is a deadline). The first problem refuses
 * the whole document, naming its line.
 */
export async function importFile(ctx: Context, file: string): Promise<void> {
  const text = readProcedureFile(file);
  // Only this command needs the parser: loaded here, not at start-up. Its ES module build: the UMD
  // one that package.json names first loads its parts by run-time require, which a bundle cannot follow.
  const jsonc = await import('jsonc-parser/lib/esm/main.js');
  const document = parseProcedureDocument(jsonc, file, text);
  const store = await ctx.store();
  const now = ctx.now();
  const { version, recomputed, changed, after } = await store.transact(async (db) => {
    const before = await loadProcedure(db);
    const after = importedProcedure(before, document);
    const first = procedureProblems(after)[0];
    if (first !== undefined) throw refusal(file, document, first);
    const saved = await saveProcedure(db, before, after, {
      actor: ctx.actor, at: now, change: 'procedure import', before: procedureEntry(before), after: procedureEntry(after),
    });
    return { ...saved, after };
  });
  if (!changed) {
    ctx.io.out(t('procedure_import_unchanged', { file: display(file), version }));
    return;
  }
  const codes = LIST_NAMES.reduce((sum, name) => sum + activeCodes(after.lists[name]).length, 0);
  const stages = after.stages.filter((s) => !s.retired).length;
  ctx.io.out(t('procedure_imported', { file: display(file), version, codes, stages }));
  if (recomputed > 0) ctx.io.out(t('deadlines_recomputed', { count: recomputed }));
}
