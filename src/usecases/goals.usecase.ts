/**
 * Goals and SMART objectives: apply and export a plan, lint one, the status of every objective,
 * check-ins, recording status changes, and alert webhooks (`goals …`, `/api/v1/goals…`).
 *
 * A status read records nothing: changes are recorded and alerted by `checkGoalStatuses` (the
 * server's schedule, or `goals check`), never because someone looked.
 */
import { parseDate, today } from '../core/time.js';
import { addCheckin, checkinJson } from '../goals/checkins.js';
import { type ApplyResult, applyPlanText, exportPlan } from '../goals/plan.apply.js';
import { parseDraftPlan } from '../goals/plan.yaml.js';
import { type LintRow, lintPlan, lintStored } from '../goals/smart.js';
import { checkStatuses } from '../goals/status.job.js';
import { type GoalNode, goalsStatus, type StatusReport } from '../goals/status.js';
import { addWebhook, removeWebhook } from '../goals/webhooks.js';
import type { Store, WorkspaceStore } from '../store/store.js';

export { lintFailure } from '../goals/smart.js';

/** A plan file's text and the name its problems are reported under. */
export interface PlanText {
  text: string;
  file: string;
}

/**
 * Loads a YAML plan as the goal tree; the same plan twice changes nothing.
 *
 * @example
 * await applyGoals(ws, { text: yaml, file: 'plan.yaml' }, 'cli'); // { changed: true, created: ['grow'], … }
 */
export function applyGoals(ws: WorkspaceStore, input: PlanText, actor: string): Promise<ApplyResult> {
  return applyPlanText(ws, input.text, input.file, actor);
}

/** The stored tree as a YAML plan, under `yaml`. */
export async function exportGoals(ws: WorkspaceStore): Promise<{ yaml: string }> {
  return { yaml: await exportPlan(ws) };
}

/**
 * The SMART check of a plan, or of the stored tree without one.
 *
 * @example
 * await lintGoals(ws, { text: yaml, file: 'plan.yaml' }); // { objectives: [{ id, smart, ok, warnings }] }
 */
export async function lintGoals(
  ws: WorkspaceStore,
  input: PlanText | null,
): Promise<{ objectives: LintRow[] }> {
  return input ? lintPlan(ws, parseDraftPlan(input.text, input.file)) : lintStored(ws);
}

function asOfDay(ws: WorkspaceStore, asOf: string | undefined): string {
  return asOf === undefined ? today(ws.workspace.timezone) : parseDate(asOf, '--as-of');
}

/** `goals status`: every objective with its figures, and every goal's roll-up. */
export interface GoalsStatus {
  as_of: string;
  objectives: StatusReport['objectives'];
  goals: StatusReport['goals'];
}

/**
 * Every objective with progress, expected, forecast and status as of a day (default: today).
 *
 * @example
 * await goalsStatusOf(ws, { asOf: '2026-06-30' }); // { as_of: '2026-06-30', objectives: [...], goals: [...] }
 */
export async function goalsStatusOf(ws: WorkspaceStore, input: { asOf?: string }): Promise<GoalsStatus> {
  const report = await goalsStatus(ws, asOfDay(ws, input.asOf));
  return { as_of: report.as_of, objectives: report.objectives, goals: report.goals };
}

/** The same measures as a tree (goals with their objectives inside), for the dashboard. */
export async function goalsTree(
  ws: WorkspaceStore,
  input: { asOf?: string },
): Promise<{ as_of: string; goals: GoalNode[]; objectives: StatusReport['objectives'] }> {
  const report = await goalsStatus(ws, asOfDay(ws, input.asOf));
  return { as_of: report.as_of, goals: report.tree, objectives: report.objectives };
}

/** Records today's status changes of every workspace's objectives and alerts their webhooks. */
export async function checkGoalStatuses(
  store: Store,
): Promise<{ changes: Awaited<ReturnType<typeof checkStatuses>> }> {
  return { changes: await checkStatuses(store) };
}

export type Checkin = ReturnType<typeof checkinJson>;

/**
 * Records a check-in on an objective.
 *
 * @example
 * await checkin(ws, { objective: 'leads-q4', note: 'Webinar moved', confidence: 0.7 });
 */
export async function checkin(
  ws: WorkspaceStore,
  input: { objective: string; note: string; confidence?: number | null; author?: string },
): Promise<Checkin> {
  return checkinJson(
    await addCheckin(ws, {
      objectiveId: input.objective,
      note: input.note,
      confidence: input.confidence ?? null,
      author: input.author,
    }),
  );
}

/** Check-ins, newest first, of one objective or all. */
export async function checkins(
  ws: WorkspaceStore,
  input: { objective?: string },
): Promise<{ checkins: Checkin[] }> {
  return { checkins: (await ws.listCheckins(input.objective)).map(checkinJson) };
}

/** Whether `id` is an objective of the workspace (check-ins of anything else are a 404). */
export async function isObjective(ws: WorkspaceStore, id: string): Promise<boolean> {
  return (await ws.listGoals()).some((g) => g.id === id && g.kind === 'objective');
}

/** The URLs alerts go to, after adding one, removing one, or as they are. */
export async function webhooks(
  ws: WorkspaceStore,
  input: { add?: string; remove?: string },
  actor: string,
): Promise<{ webhooks: string[] }> {
  if (input.add !== undefined) return { webhooks: await addWebhook(ws, input.add, actor) };
  if (input.remove !== undefined) return { webhooks: await removeWebhook(ws, input.remove, actor) };
  return { webhooks: ws.workspace.settings.webhooks ?? [] };
}
