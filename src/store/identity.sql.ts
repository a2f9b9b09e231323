/**
 * Identity stitching in SQL, once for every reader (KPI measures, attribution journeys): which person
 * a session belongs to. Written for a workspace-scoped query (`@table`, WorkspaceStore.query), as two
 * common table expressions: `ids`, then `sess` that reads it.
 */
import type { SqlDialect } from './dialect.js';

/**
 * The `ids` CTE: each anonymous id → the first user it was linked to (identify or alias; the earliest
 * `first_seen` wins, as the resolver in src/ingest/identity.ts stores them). Written with the store's
 * dialect (store/dialect.ts), so every engine stitches the same way.
 *
 * @example
 * `WITH ${d.cte('ids', idsSql(d), true)} SELECT count(*) FROM ids`;
 */
export function idsSql(d: SqlDialect): string {
  return `SELECT anonymous_id, ${d.argMin('user_id', 'first_seen')} AS user_id FROM @identities GROUP BY 1`;
}

/**
 * The `sess` CTE (needs `ids`): sessions with `contact_id` (the session's user, else the user its
 * anonymous id was linked to) and `person` (that, else the anonymous id: one visitor).
 *
 * @example
 * `WITH ${d.cte('ids', idsSql(d), true)}, sess AS (${sessionPeopleSql('s.started_at, s.channel')}) SELECT …`;
 */
export function sessionPeopleSql(columns = 's.*'): string {
  return `SELECT ${columns}, coalesce(s.user_id, ids.user_id) AS contact_id,
         coalesce(s.user_id, ids.user_id, s.anonymous_id) AS person
       FROM @sessions s LEFT JOIN ids ON ids.anonymous_id = s.anonymous_id`;
}
