/**
 * The reads an import needs, batched: what is already stored for the keys of a batch (contacts,
 * deals, history, message ids, …). Lists go in as one JSON parameter, never spliced into SQL.
 */
import {
  type ContactRow,
  type DealRow,
  historyKey,
  type SocialRow,
  type SpendRow,
} from '../../domain/crm.js';
import type { SqlDialect } from '../../store/dialect.js';
import { decodeContact, decodeDeal } from '../../store/duckdb/rows.decode.js';
import type { Row, WorkspaceStore } from '../../store/store.js';
import type { IdentityLookup } from '../identity.js';

export { historyKey };

const CHUNK = 20_000;

/**
 * Runs `sql(d, inList)` for each chunk of the keys, where `inList(expr)` is the condition that `expr` is
 * one of the chunk's keys (`$list`, one JSON array parameter: never spliced into SQL).
 */
async function byChunks<T extends Row>(
  ws: WorkspaceStore,
  keys: Iterable<string>,
  sql: (d: SqlDialect, inList: (expr: string) => string) => string,
  params: Record<string, string | number | Date | null> = {},
): Promise<T[]> {
  const all = [...new Set(keys)];
  const out: T[] = [];
  const d = ws.dialect;
  const text = sql(d, (expr) => d.inJsonList(expr, '$list'));
  for (let i = 0; i < all.length; i += CHUNK) {
    const list = JSON.stringify(all.slice(i, i + CHUNK));
    out.push(...(await ws.query<T>(text, { ...params, list })));
  }
  return out;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Stored contacts by id. */
export async function contactsByIds(
  ws: WorkspaceStore,
  ids: Iterable<string>,
): Promise<Map<string, ContactRow>> {
  const rows = await byChunks(ws, ids, (_d, inList) => `SELECT * FROM @contacts WHERE ${inList('id')}`);
  return new Map(rows.map((r) => [String(r.id), decodeContact(r)]));
}

/** Lower-cased e-mail → the id of the (earliest created) contact with it. */
export async function contactIdsByEmails(
  ws: WorkspaceStore,
  emails: Iterable<string>,
): Promise<Map<string, string>> {
  const rows = await byChunks<{ email: string; id: string }>(
    ws,
    [...emails].map((e) => e.toLowerCase()),
    (d, inList) => `SELECT lower(email) AS email, ${d.argMin('id', 'created_at')} AS id FROM @contacts
     WHERE ${inList('lower(email)')} GROUP BY lower(email)`,
  );
  return new Map(rows.map((r) => [r.email, r.id]));
}

/**
 * A file's contact id → the contact a deal with that id was linked to by e-mail before (kept in the
 * deal's `properties.contact_external_id`), so a later sync without the e-mail keeps the link.
 */
export async function contactIdsByExternalIds(
  ws: WorkspaceStore,
  externalIds: Iterable<string>,
): Promise<Map<string, string>> {
  const rows = await byChunks<{ ext: string; id: string }>(ws, [...externalIds], (d, inList) => {
    const ext = d.jsonText('properties', ['contact_external_id']);
    return `SELECT ${ext} AS ext, ${d.argMax('contact_id', 'created_at')} AS id FROM @deals
     WHERE ${inList(ext)} AND contact_id IS NOT NULL GROUP BY 1`;
  });
  return new Map(rows.map((r) => [r.ext, r.id]));
}

/** Lower-cased e-mail → the earliest created contact with it. */
export async function contactsByEmails(
  ws: WorkspaceStore,
  emails: Iterable<string>,
): Promise<Map<string, ContactRow>> {
  const rows = await byChunks(
    ws,
    [...emails].map((e) => e.toLowerCase()),
    (_d, inList) => `SELECT * FROM @contacts WHERE ${inList('lower(email)')}
     QUALIFY row_number() OVER (PARTITION BY lower(email) ORDER BY created_at, id) = 1`,
  );
  return new Map(rows.map((r) => [String(r.email).toLowerCase(), decodeContact(r)]));
}

/**
 * The identity resolver's view of a workspace through batched queries (what `import events` uses).
 *
 * @example
 * await resolveIdentity(calls, identityLookup(ws), { reason: 'import:events.ndjson' });
 */
export function identityLookup(ws: WorkspaceStore): IdentityLookup {
  return {
    contactsByIds: (ids) => contactsByIds(ws, ids),
    contactsByEmails: (emails) => contactsByEmails(ws, emails),
    linkedAnonymousIds: (ids) => linkedAnonymousIds(ws, ids),
    recordedStages: (ids) => contactHistoryKeys(ws, ids),
  };
}

/** Which of these contact ids exist. */
export async function existingContactIds(ws: WorkspaceStore, ids: Iterable<string>): Promise<Set<string>> {
  const rows = await byChunks<{ id: string }>(
    ws,
    ids,
    (_d, inList) => `SELECT id FROM @contacts WHERE ${inList('id')}`,
  );
  return new Set(rows.map((r) => r.id));
}

/** How many stored deals name one of these contact ids. */
export async function countDealsOfContacts(ws: WorkspaceStore, ids: Iterable<string>): Promise<number> {
  const rows = await byChunks<{ n: number | bigint }>(
    ws,
    ids,
    (_d, inList) => `SELECT count(*) AS n FROM @deals WHERE ${inList('contact_id')}`,
  );
  return rows.reduce((sum, r) => sum + Number(r.n), 0);
}

/**
 * Deals stored without a contact in the workspace (no contact id, or one no contact has) that named
 * one of these e-mails (`properties.contact_email`), with the lower-cased e-mail.
 */
export async function dealsAwaitingEmails(
  ws: WorkspaceStore,
  emails: Iterable<string>,
): Promise<Array<{ deal: DealRow; email: string }>> {
  const rows = await byChunks(
    ws,
    [...emails].map((e) => e.toLowerCase()),
    (d, inList) => {
      const email = `lower(${d.jsonText('x.properties', ['contact_email'])})`;
      return `SELECT x.*, ${email} AS awaiting FROM @deals x
     WHERE ${inList(email)} AND (x.contact_id IS NULL OR x.contact_id NOT IN (SELECT id FROM @contacts))`;
    },
  );
  return rows.map((r) => {
    const { awaiting, ...deal } = r;
    return { deal: decodeDeal(deal), email: String(awaiting) };
  });
}

/** Stage-history keys (contact, stage, time) already recorded for these contacts. */
export async function contactHistoryKeys(ws: WorkspaceStore, ids: Iterable<string>): Promise<Set<string>> {
  const rows = await byChunks<{ id: string; stage: string; at: number }>(
    ws,
    ids,
    (
      d,
      inList,
    ) => `SELECT contact_id AS id, stage, ${d.epochMs('changed_at')} AS at FROM @contact_stage_history
     WHERE ${inList('contact_id')}`,
  );
  return new Set(rows.map((r) => historyKey(r.id, r.stage, new Date(r.at))));
}

/** Stored deals by id. */
export async function dealsByIds(ws: WorkspaceStore, ids: Iterable<string>): Promise<Map<string, DealRow>> {
  const rows = await byChunks(ws, ids, (_d, inList) => `SELECT * FROM @deals WHERE ${inList('id')}`);
  return new Map(rows.map((r) => [String(r.id), decodeDeal(r)]));
}

/** Each deal's recorded stages, oldest first. */
export async function dealHistory(
  ws: WorkspaceStore,
  ids: Iterable<string>,
): Promise<Map<string, Array<{ stage: string; at: Date }>>> {
  const rows = await byChunks<{ id: string; stage: string; at: number }>(
    ws,
    ids,
    (d, inList) => `SELECT deal_id AS id, stage, ${d.epochMs('changed_at')} AS at FROM @deal_stage_history
     WHERE ${inList('deal_id')} ORDER BY changed_at`,
  );
  const out = new Map<string, Array<{ stage: string; at: Date }>>();
  for (const r of rows) {
    const list = out.get(r.id) ?? [];
    list.push({ stage: r.stage, at: new Date(r.at) });
    out.set(r.id, list);
  }
  return out;
}

/**
 * Which of these message ids are stored with a time in [from, to]. The window keeps the lookup from
 * scanning every event of the workspace: events are stored in time order, so DuckDB skips the row
 * groups outside it (callers widen it by a margin; docs/imports.md).
 */
export async function storedMessageIds(
  ws: WorkspaceStore,
  ids: Iterable<string>,
  from: Date,
  to: Date,
): Promise<Set<string>> {
  const rows = await byChunks<{ id: string }>(
    ws,
    ids,
    (_d, inList) =>
      `SELECT message_id AS id FROM @events WHERE ts BETWEEN $from AND $to AND ${inList('message_id')}`,
    { from, to },
  );
  return new Set(rows.map((r) => r.id));
}

/** Which of these session ids are stored. */
export async function storedSessionIds(ws: WorkspaceStore, ids: Iterable<string>): Promise<Set<string>> {
  const rows = await byChunks<{ id: string }>(
    ws,
    ids,
    (_d, inList) => `SELECT session_id AS id FROM @sessions WHERE ${inList('session_id')}`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Which of these anonymous ids are already linked to a user (the first link wins). */
export async function linkedAnonymousIds(ws: WorkspaceStore, ids: Iterable<string>): Promise<Set<string>> {
  const rows = await byChunks<{ id: string }>(
    ws,
    ids,
    (_d, inList) => `SELECT DISTINCT anonymous_id AS id FROM @identities WHERE ${inList('anonymous_id')}`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Key of an e-mail event: time, address, campaign, type. */
export const emailKey = (at: Date, email: string, campaign: string | null, type: string) =>
  `${at.getTime()}\u0000${email}\u0000${campaign ?? ''}\u0000${type}`;

/** E-mail event keys stored between two instants for these addresses. */
export async function emailEventKeys(
  ws: WorkspaceStore,
  emails: Iterable<string>,
  from: Date,
  to: Date,
): Promise<Set<string>> {
  const rows = await byChunks<{ at: number; email: string; campaign: string | null; type: string }>(
    ws,
    emails,
    (d, inList) => `SELECT ${d.epochMs('ts')} AS at, email, campaign, type FROM @email_events
     WHERE ts BETWEEN $from AND $to AND ${inList('email')}`,
    { from, to },
  );
  return new Set(rows.map((r) => emailKey(new Date(r.at), r.email, r.campaign, r.type)));
}

/** Spend rows stored for local dates in [from, to]. */
export async function spendBetween(ws: WorkspaceStore, from: string, to: string): Promise<SpendRow[]> {
  const d = ws.dialect;
  const rows = await ws.query(
    `SELECT ${d.formatDate('date')} AS d, channel, source, medium, campaign, cost, currency,
            impressions, clicks, reach
     FROM @spend WHERE date BETWEEN ${d.cast('$from', 'date')} AND ${d.cast('$to', 'date')}`,
    { from, to },
  );
  return rows.map((r) => ({
    date: String(r.d),
    channel: String(r.channel),
    source: str(r.source),
    medium: str(r.medium),
    campaign: str(r.campaign),
    cost: Number(r.cost),
    currency: String(r.currency),
    impressions: r.impressions === null ? null : Number(r.impressions),
    clicks: r.clicks === null ? null : Number(r.clicks),
    reach: r.reach === null ? null : Number(r.reach),
  }));
}

/** Social metric rows stored for local dates in [from, to]. */
export async function socialBetween(ws: WorkspaceStore, from: string, to: string): Promise<SocialRow[]> {
  const d = ws.dialect;
  const rows = await ws.query(
    `SELECT ${d.formatDate('date')} AS d, network, metric, value FROM @social_metrics
     WHERE date BETWEEN ${d.cast('$from', 'date')} AND ${d.cast('$to', 'date')}`,
    { from, to },
  );
  return rows.map((r) => ({
    date: String(r.d),
    network: String(r.network),
    metric: r.metric as SocialRow['metric'],
    value: Number(r.value),
  }));
}
