/**
 * The SQL that finds every event a behaviour rule scores, for all models at once: one scan of the
 * tracked events and one of the e-mail events, each row tagged with the (global) indices of the rules
 * it matches. Rule values are bound as parameters, never spliced into the SQL.
 */
import type { ScoringRules } from '../domain/scoring.js';
import type { SqlDialect } from '../store/dialect.js';
import { idsSql } from '../store/identity.sql.js';
import type { SqlParam } from '../store/store.js';

/** A behaviour rule's place: the model and the rule within it. */
export interface RuleRef {
  model: number;
  rule: number;
}

export interface HitsQuery {
  sql: string;
  params: Record<string, SqlParam>;
  /** Global rule index → model and rule. */
  refs: RuleRef[];
}

/** Which contacts to read: all, those with tracked events received after a time, or one. */
export type Restrict = { kind: 'all' } | { kind: 'since'; since: Date } | { kind: 'contact'; id: string };

/** SQL selecting the contact ids a restriction keeps (null: no restriction). */
export function restrictSql(r: Restrict): string | null {
  if (r.kind === 'all') return null;
  if (r.kind === 'contact') return 'SELECT $contact AS cid';
  return `SELECT DISTINCT coalesce(e.user_id, ids.user_id) AS cid FROM @events e
    LEFT JOIN ids ON ids.anonymous_id = e.anonymous_id WHERE e.received_at > $since`;
}

export function restrictParams(r: Restrict): Record<string, SqlParam> {
  if (r.kind === 'contact') return { contact: r.id };
  if (r.kind === 'since') return { since: r.since };
  return {};
}

/**
 * Builds the hits query: rows `(cid, t, r)` (contact id, epoch ms, global rule index), ordered by
 * contact and time. Null when no model has a behaviour rule.
 *
 * @example
 * const q = hitsQuery(rules, { kind: 'all' }, ws.dialect);
 * const rows = await ws.query<{ cid: string; t: number; r: number }>(q.sql, q.params);
 */
export function hitsQuery(rules: ScoringRules, restrict: Restrict, d: SqlDialect): HitsQuery | null {
  const params: Record<string, SqlParam> = { ...restrictParams(restrict) };
  const refs: RuleRef[] = [];
  const tracked: Array<[string, number]> = [];
  const email: Array<[string, number]> = [];
  let n = 0;
  const bind = (v: string) => {
    const name = `v${n++}`;
    params[name] = v;
    return `$${name}`;
  };
  rules.models.forEach((m, mi) => {
    m.behaviour.forEach((r, ri) => {
      const g = refs.length;
      refs.push({ model: mi, rule: ri });
      if (r.event) tracked.push([`e.type = 'track' AND e.event IN (${r.event.map(bind).join(', ')})`, g]);
      else if (r.page)
        tracked.push([
          `e.type = 'page' AND (${r.page.map((p) => d.glob('e.path', bind(p))).join(' OR ')})`,
          g,
        ]);
      else if (r.email) email.push([`m.type IN (${r.email.map(bind).join(', ')})`, g]);
    });
  });
  if (!refs.length) return null;
  const keep = restrictSql(restrict);
  const parts: string[] = [];
  // Each row is tagged with every rule it matches (an event may score for several rules or models).
  const tags = (preds: Array<[string, number]>) =>
    d.list(preds.map(([p, g]) => `CASE WHEN ${p} THEN ${g} END`));
  const any = (preds: Array<[string, number]>) => preds.map(([p]) => `(${p})`).join(' OR ');
  // Restricted, rows are narrowed to the kept contacts before any tagging (the scan stays cheap).
  const keepTracked = keep
    ? `AND (e.user_id IN (SELECT cid FROM keep) OR (e.user_id IS NULL AND e.anonymous_id IN
         (SELECT i.anonymous_id FROM @identities i WHERE i.user_id IN (SELECT cid FROM keep))))`
    : '';
  const keepEmail = keep
    ? `AND (m.contact_id IN (SELECT cid FROM keep) OR (m.contact_id IS NULL AND lower(m.email) IN
         (SELECT lower(c.email) FROM @contacts c WHERE c.id IN (SELECT cid FROM keep))))`
    : '';
  if (tracked.length)
    parts.push(`SELECT coalesce(e.user_id, ids.user_id) AS cid, e.ts, ${tags(tracked)} AS rs
      FROM @events e LEFT JOIN ids ON ids.anonymous_id = e.anonymous_id
      WHERE (${any(tracked)}) ${keepTracked}`);
  if (email.length)
    parts.push(`SELECT coalesce(m.contact_id, ce.id) AS cid, m.ts, ${tags(email)} AS rs
      FROM @email_events m LEFT JOIN (SELECT lower(email) AS email, min(id) AS id FROM @contacts
          WHERE email IS NOT NULL GROUP BY 1) ce ON ce.email = lower(m.email)
      WHERE (${any(email)}) ${keepEmail}`);
  const matched = d.listFilter('rs', 'x', 'x IS NOT NULL');
  const sql = `WITH ${d.cte('ids', idsSql(d), true)}${keep ? `, ${d.cte('keep', keep, true)}` : ''},
    tagged AS (${parts.join('\nUNION ALL\n')}),
    hits AS (SELECT cid, ts, ${d.unnest(matched)} AS r FROM tagged
             WHERE cid IS NOT NULL AND ${d.listLength(matched)} > 0)
    SELECT h.cid, ${d.epochMs('h.ts')} AS t, h.r FROM hits h
    ${keep ? 'JOIN keep k ON k.cid = h.cid' : ''}
    ORDER BY h.cid, t`;
  return { sql, params, refs };
}
