/**
 * Lead scoring: the rules file (apply, export, lint), recomputing, a contact's explanation, the top
 * scores and the marketing-sales SLA (`score …`, `/api/v1/scoring/…`; docs/scoring.md).
 */
import { UserError } from '../core/errors.js';
import { addDays, parseDate, today } from '../core/time.js';
import { type Explanation, explainContact } from '../scoring/explain.js';
import { recomputeScores } from '../scoring/recompute.js';
import { type SlaReport, slaReport, type TopRow, topScores } from '../scoring/report.js';
import { applyRulesText, exportRules, lintRulesText } from '../scoring/rules.apply.js';
import type { WorkspaceStore } from '../store/store.js';
import type { PlanText } from './goals.usecase.js';

/**
 * Checks and loads a rules file; nothing is loaded from a file with errors.
 *
 * @example
 * await applyScoringRules(ws, { text, file: 'scoring.yaml' }, 'cli'); // { file: 'scoring.yaml', changed: true, models: ['demand'] }
 */
export async function applyScoringRules(
  ws: WorkspaceStore,
  input: PlanText,
  actor: string,
): Promise<{ file: string; changed: boolean; models: string[] }> {
  return { file: input.file, ...(await applyRulesText(ws, input.text, input.file, actor)) };
}

/** The stored rules as YAML, or a UserError (404) when there are none. */
export async function exportScoringRules(ws: WorkspaceStore): Promise<{ yaml: string }> {
  const yaml = await exportRules(ws);
  if (yaml === null)
    throw new UserError(
      'this workspace has no scoring rules yet: load some with `northstar score rules apply FILE`',
      {},
      404,
    );
  return { yaml };
}

export interface RulesLint {
  file: string;
  ok: true;
  models: Array<{
    id: string;
    lifecycle: boolean;
    fit_rules: number;
    behaviour_rules: number;
    mql: number;
    sql: number;
  }>;
}

/**
 * Checks a rules file against the workspace (a PlanFileError lists every problem with its line).
 *
 * @example
 * await lintScoringRules(ws, { text, file: 'scoring.yaml' }); // { file, ok: true, models: [{ id: 'demand', … }] }
 */
export async function lintScoringRules(ws: WorkspaceStore, input: PlanText): Promise<RulesLint> {
  const parsed = await lintRulesText(ws, input.text, input.file);
  return {
    file: input.file,
    ok: true,
    models: parsed.models.map((m) => ({
      id: m.id,
      lifecycle: m.lifecycle,
      fit_rules: m.fit.length,
      behaviour_rules: m.behaviour.length,
      mql: m.thresholds.mql,
      sql: m.thresholds.sql,
    })),
  };
}

/** Rescores every contact and makes the lifecycle moves thresholds call for. */
export function recompute(
  ws: WorkspaceStore,
  hooks: { onProgress?: (done: number, total: number) => void } = {},
): ReturnType<typeof recomputeScores> {
  return recomputeScores(ws, hooks.onProgress ? { onProgress: hooks.onProgress } : {});
}

/** A contact (id or e-mail) scored rule by rule, with its stage history. */
export function explain(ws: WorkspaceStore, input: { contact: string }): Promise<Explanation> {
  return explainContact(ws, input.contact);
}

/** The highest scores of a model (default: the lifecycle model). */
export function topScoring(
  ws: WorkspaceStore,
  input: { model?: string; limit?: number },
): Promise<{ model: string; rows: TopRow[] }> {
  return topScores(ws, { model: input.model, limit: input.limit });
}

/**
 * The SLA report from `from` (default 90 days before `to`) to `to` (default today); with `breaches`,
 * only the SQLs that broke it.
 *
 * @example
 * await sla(ws, { from: '2026-01-01', to: '2026-03-31', breaches: true });
 */
export async function sla(
  ws: WorkspaceStore,
  input: { from?: string; to?: string; breaches?: boolean },
): Promise<SlaReport> {
  const to = input.to === undefined ? today(ws.workspace.timezone) : parseDate(input.to, '--to');
  const from = input.from === undefined ? addDays(to, -89) : parseDate(input.from, '--from');
  const r = await slaReport(ws, from, to);
  return input.breaches ? { ...r, sqls: r.sqls.filter((s) => s.breach) } : r;
}
