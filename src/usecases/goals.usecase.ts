/**
 * Goals and SMART objectives: apply and export a plan, lint one, the status of every objective,
 * check-ins, recording status changes, and alert webhooks (`goals …`, `/api/v1/goals…`).
 *
 * A status read records nothing: changes are recorded and alerted by `checkGoalStatuses` (the
 * server's schedule, or `goals check`), never because someone looked.
 */
import { UserError } from '../core/errors.js';
import { addDays, daysBetween, parseDate, today } from '../core/time.js';
import { addCheckin, checkinJson } from '../goals/checkins.js';
import { type ApplyResult, applyPlanText, exportPlan } from '../goals/plan.apply.js';
import { parseDraftPlan } from '../goals/plan.yaml.js';
import { type LintRow, lintPlan, lintStored } from '../goals/smart.js';
import { checkStatuses } from '../goals/status.job.js';
import { type GoalNode, goalsStatus, type StatusReport } from '../goals/status.js';
import { addWebhook, removeWebhook } from '../goals/webhooks.js';
import { memoRead, ReadCache, readCacheOf, stamped, withWorkspaceCache } from '../store/read.cache.js';
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
): Promise<{
  as_of: string;
  goals: GoalNode[];
  objectives: StatusReport['objectives'];
  stale?: true;
  computed_at?: string;
}> {
  const asOf = asOfDay(ws, input.asOf);
  // Served stale while tracking data arrives, as the overview (store/answer.cache.ts).
  return stamped(
    await memoRead(
      ws,
      'goals.tree',
      { asOf },
      async () => {
        const report = await goalsStatus(ws, asOf);
        return { as_of: report.as_of, goals: report.tree, objectives: report.objectives };
      },
      { stale: true },
    ),
  );
}

/** An objective's actual at each of the overview's dates (null before its start or without a value). */
export interface GoalsOverview {
  as_of: string;
  goals: GoalNode[];
  objectives: StatusReport['objectives'];
  history: { dates: string[]; actual: Record<string, Array<number | null>> };
  /** Set when served from before tracking data arrived, while a refresh runs (store/answer.cache.ts). */
  stale?: true;
  /** With `stale`: when the answer's computation began (ISO time). */
  computed_at?: string;
}

/**
 * `points` dates spread evenly from `from` to `to` (both included; fewer when the range has fewer days).
 *
 * @example
 * sampleDays('2026-01-01', '2026-01-31', 4); // ['2026-01-01', '2026-01-11', '2026-01-21', '2026-01-31']
 */
export function sampleDays(from: string, to: string, points: number): string[] {
  const days = daysBetween(from, to);
  if (days <= 0 || points < 2) return [to];
  const out = new Set<string>();
  for (let i = 0; i < points; i++) out.add(addDays(from, Math.round((days * i) / (points - 1))));
  return [...out];
}

/**
 * The dashboard's overview in one answer: the tree as of a day (as goalsTree), and every objective's
 * actual at `points` dates from `from` to that day (its sparkline), each date measured as
 * `goals?as_of=` would.
 *
 * @example
 * const o = await goalsOverview(ws, { asOf: '2026-11-30', from: '2026-10-01', points: 6 });
 * o.history.dates; // ['2026-10-01', '2026-10-13', …, '2026-11-30']
 * o.history.actual['leads-q4']; // [0, 410, …, 2390]
 */
export async function goalsOverview(
  store: WorkspaceStore,
  input: { asOf?: string; from?: string; points?: number },
): Promise<GoalsOverview> {
  // Without the server's cache (the CLI), one for this answer: its dates share baselines and shapes.
  const ws = readCacheOf(store) ? store : withWorkspaceCache(store, new ReadCache({ maxEntries: 500 }));
  const asOf = asOfDay(ws, input.asOf);
  const from = input.from === undefined ? `${asOf.slice(0, 4)}-01-01` : parseDate(input.from, '--from');
  if (from > asOf) throw new UserError(`--from (${from}) is after --as-of (${asOf})`, { field: '--from' });
  const points = input.points ?? 6;
  if (!Number.isInteger(points) || points < 1 || points > 24)
    throw new UserError('--points must be a whole number from 1 to 24', { field: '--points' });
  // Under `serve` the whole answer is kept; tracking data arriving leaves it served, said to be stale,
  // while it is refreshed in the background (store/answer.cache.ts).
  return stamped(
    await memoRead(ws, 'goals.overview', { asOf, from, points }, () => overviewOf(ws, asOf, from, points), {
      stale: true,
    }),
  );
}

async function overviewOf(
  ws: WorkspaceStore,
  asOf: string,
  from: string,
  points: number,
): Promise<GoalsOverview> {
  const report = await goalsStatus(ws, asOf);
  const dates = sampleDays(from, asOf, points);
  const actual: Record<string, Array<number | null>> = {};
  for (const o of report.objectives) actual[o.id] = [];
  // One date after the other: each measures every objective, and the base measures its dates share
  // (baselines, last year's shape) are computed once.
  for (const day of dates) {
    const r = day === asOf ? report : await goalsStatus(ws, day);
    for (const o of report.objectives)
      actual[o.id]?.push(r.objectives.find((x) => x.id === o.id)?.actual ?? null);
  }
  return {
    as_of: report.as_of,
    goals: report.tree,
    objectives: report.objectives,
    history: { dates, actual },
  };
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
