import { approvalStageRule, APPROVAL_STAGE, findStage, stageEntry, withStage } from '../../domain/procedure.js';
import { insertStage, loadProcedure, saveProcedure } from '../procedure.js';
import type { Db } from '../store.js';

/**
 * Schema 7's step: the approval stage joins the office's stages. An office still on the procedure
 * it started with (version 1: no `procedure_changed` yet) gets the row, and `verify` expects it
 * there (it is one of the default stages now); one that changed its procedure gets it as a change
 * of its own, a version on, so that the log records the procedure the tables hold. An office that
 * already has a stage of that code keeps its own.
 */
export async function addApprovalStage(db: Db): Promise<null> {
  const procedure = await loadProcedure(db);
  if (findStage(procedure.stages, APPROVAL_STAGE) !== undefined) return null;
  const rule = approvalStageRule();
  if (procedure.version === 1) {
    await insertStage(db, rule, procedure.stages.length + 1);
    return null;
  }
  await saveProcedure(db, procedure, withStage(procedure, rule), {
    actor: 'complaints upgrade', at: Date.now(), change: 'upgrade: approval stage', before: null, after: stageEntry(rule),
  });
  return null;
}
