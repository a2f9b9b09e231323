/** `score top` and `score sla`: the stored scores ranked, and the marketing-sales SLA with its breaches. */
import { UserError } from '../core/errors.js';
import { followUpSql, withCtes } from '../metrics/measures.js';
import type { WorkspaceStore } from '../store/store.js';
import { requireRules } from './recompute.js';

export type TopRow = {
  contact_id: string;
  email: string | null;
  company: string | null;
  stage: string;
  fit: number;
  behaviour: number;
  score: number;
  computed_at: string;
};

/**
 * The highest stored scores of a model (the lifecycle model by default).
 *
 * @example
 * await topScores(ws, { limit: 10 }); // { model: 'demand', rows: [{ contact_id: 'u_…', score: 132.5, … }] }
 */
export async function topScores(
  ws: WorkspaceStore,
  opts: { model?: string; limit?: number } = {},
): Promise<{ model: string; rows: TopRow[] }> {
  const rules = await requireRules(ws);
  const model = opts.model ?? rules.models.find((m) => m.lifecycle)?.id ?? rules.models[0]?.id ?? '';
  if (!rules.models.some((m) => m.id === model))
    throw new UserError(`no scoring model "${model}" (models: ${rules.models.map((m) => m.id).join(', ')})`, {
      field: '--model',
    });
  const limit = opts.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UserError('--limit is a whole number from 1 to 10000', { field: '--limit' });
  const rows = await ws.query(
    `SELECT s.contact_id, c.email, c.company, c.lifecycle_stage AS stage, s.fit, s.behaviour, s.score, s.computed_at
     FROM @contact_scores s JOIN @contacts c ON c.id = s.contact_id
     WHERE s.model = $model ORDER BY s.score DESC, s.contact_id LIMIT ${limit}`,
    { model },
  );
  return {
    model,
    rows: rows.map((r) => ({
      ...(r as unknown as TopRow),
      computed_at: (r.computed_at as Date).toISOString(),
    })),
  };
}

export interface SlaReport {
  sla: { sql_follow_up_hours: number; follow_up_events: string[]; mqls_per_month: number | null };
  from: string;
  to: string;
  breaches: { sql_follow_up: number; mql_months: number };
  sqls: Array<{
    contact_id: string;
    email: string | null;
    owner: string | null;
    sql_at: string;
    followed_up_at: string | null;
    hours: number;
    breach: boolean;
  }>;
  months: Array<{ month: string; mqls: number; target: number | null; breach: boolean }>;
}

/**
 * SQLs (by SQL date, UTC days `from`..`to`) with their follow-up and whether it broke the SLA, and MQLs
 * per calendar month against the promised number.
 *
 * @example
 * const r = await slaReport(ws, '2026-01-01', '2026-06-30'); // r.breaches → { sql_follow_up: 12, mql_months: 1 }
 */
export async function slaReport(ws: WorkspaceStore, from: string, to: string): Promise<SlaReport> {
  const rules = await requireRules(ws);
  const range = {
    start: new Date(`${from}T00:00:00Z`),
    end: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000),
  };
  const d = ws.dialect;
  const sqls = await ws.query(
    `${withCtes(['people'], d)}
     SELECT x.id AS contact_id, x.email, x.owner, x.sql_at, x.followed_at, x.follow_up_hours AS hours, x.breach
     FROM (${followUpSql(d)}) x WHERE x.sql_at >= $start AND x.sql_at < $end ORDER BY x.sql_at, x.id`,
    range,
  );
  const months = await ws.query<{ month: string; mqls: number }>(
    `SELECT ${d.formatDate(d.truncDate('month', 'mql_at'), 'month')} AS month, count(*) AS mqls FROM @contacts
     WHERE mql_at >= $start AND mql_at < $end GROUP BY 1 ORDER BY 1`,
    range,
  );
  const target = rules.sla.mqlsPerMonth;
  // Only a calendar month wholly inside the range can fall short; a partial one is shown, not judged.
  const whole = (month: string) => `${month}-01` >= from && lastDay(month) <= to;
  const monthRows = months.map((m) => ({
    month: m.month,
    mqls: Number(m.mqls),
    target,
    breach: target !== null && whole(m.month) && Number(m.mqls) < target,
  }));
  const sqlRows = sqls.map((r) => ({
    contact_id: String(r.contact_id),
    email: (r.email as string | null) ?? null,
    owner: (r.owner as string | null) ?? null,
    sql_at: (r.sql_at as Date).toISOString(),
    followed_up_at: r.followed_at instanceof Date ? r.followed_at.toISOString() : null,
    hours: Math.round(Number(r.hours) * 10) / 10,
    breach: Boolean(r.breach),
  }));
  return {
    sla: {
      sql_follow_up_hours: rules.sla.sqlFollowUpHours,
      follow_up_events: rules.sla.followUpEvents,
      mqls_per_month: target,
    },
    from,
    to,
    breaches: {
      sql_follow_up: sqlRows.filter((r) => r.breach).length,
      mql_months: monthRows.filter((m) => m.breach).length,
    },
    sqls: sqlRows,
    months: monthRows,
  };
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
