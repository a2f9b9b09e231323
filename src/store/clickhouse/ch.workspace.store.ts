import { UserError } from '../../core/errors.js';
import type {
  CampaignRow,
  ContactRow,
  DealRow,
  DealStageChangeRow,
  EmailEventRow,
  IdentityRow,
  SocialRow,
  SpendRow,
  StageChangeRow,
} from '../../domain/crm.js';
import type { EventRow, SessionRow } from '../../domain/event.js';
import type { AuditRow } from '../../domain/goal.js';
import type { ContactScoreRow, LifecycleChangeRow, StageMove, StoredRules } from '../../domain/scoring.js';
import type { Workspace } from '../../domain/workspace.js';
import type { SqlDialect } from '../dialect.js';
import type { ColumnSpec } from '../duckdb/db.js';
import { decodeContact, decodeDeal } from '../duckdb/rows.decode.js';
import {
  type DataCounts,
  type EventWorkspaceStore,
  type Row,
  SCOPED_TABLES,
  type SqlParam,
  type TrackingBatch,
} from '../store.js';
import { CH_TABLES, type ChFeatures, type ChTable, chTable, scopedTable } from './ch.schema.js';
import { chTime } from './ch.sql.js';
import { clickhouseDialect, clickhouseLegacyDialect } from './clickhouse.dialect.js';
import type { ClickHouseTarget } from './clickhouse.store.js';

const TABLE_REF = new RegExp(`@(${SCOPED_TABLES.join('|')})\\b`, 'g');
const BARE_TABLE = new RegExp(`\\b(from|join)\\s+"?(${SCOPED_TABLES.join('|')})"?\\b`, 'i');
/** Rows per INSERT: each insert is one part on disk, so the tracker's small writes are merged first. */
const BATCH = 50_000;

let lastVersion = 0;
/** Increasing insertion versions (µs since the epoch), so the later write of a key wins at merge. */
function nextVersions(n: number): number {
  const base = Math.max(Date.now() * 1000, lastVersion + 1);
  lastVersion = base + n;
  return base;
}

/** A DATE as DuckDB hands it back (a Date at UTC midnight, or a value printing `YYYY-MM-DD`). */
function dateText(v: unknown): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

/** `@table` → the workspace's rows of that table, deduplicated; refuses bare table names. */
export function scopeChSql(sql: string): string {
  const bare = BARE_TABLE.exec(sql);
  if (bare) throw new Error(`scoped queries must name tables as @${bare[2]}, not ${bare[2]}`);
  return sql.replace(TABLE_REF, (_m, t: string) => {
    const table = CH_TABLES.find((x) => x.name === t);
    if (!table) throw new Error(`@${t} is not an analytic table (it lives in the metadata store)`);
    return scopedTable(table);
  });
}

/** One workspace's analytic rows on ClickHouse. */
export class ClickHouseWorkspaceStore implements EventWorkspaceStore {
  readonly dialect: SqlDialect;

  constructor(
    private readonly target: ClickHouseTarget,
    private readonly features: ChFeatures,
    readonly workspace: Workspace,
  ) {
    this.dialect = features.legacy ? clickhouseLegacyDialect : clickhouseDialect;
  }

  private get ws(): string {
    return this.workspace.id;
  }

  /** JSON rows for JSONEachRow in the table's column order (plus `_version` when replacing). */
  private encode<T>(t: ChTable, rows: readonly T[]): Record<string, unknown>[] {
    const cols = t.columns as unknown as readonly ColumnSpec<T>[];
    const version = t.replacing ? nextVersions(rows.length) : 0;
    return rows.map((r, i) => {
      const o: Record<string, unknown> = { workspace_id: this.ws };
      for (const c of cols) o[c.name] = this.value(c, c.get(r));
      if (t.replacing) o._version = version + i;
      return o;
    });
  }

  private value<T>(c: ColumnSpec<T>, v: unknown): unknown {
    if (v === null || v === undefined) return null;
    switch (c.kind) {
      case 'timestamp': {
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new Error(`${c.name}: not a valid time`);
        return this.features.legacy ? chTime(v).slice(0, 19) : chTime(v);
      }
      case 'json':
        return typeof v === 'string' ? v : JSON.stringify(v);
      case 'boolean':
        return this.features.legacy ? (v ? 1 : 0) : Boolean(v);
      default:
        return v;
    }
  }

  private async write<T>(table: string, rows: readonly T[], key?: (r: T) => string): Promise<void> {
    if (rows.length === 0) return;
    let list = rows;
    if (key) {
      // The last row of a batch wins, as on DuckDB: ClickHouse keeps the highest _version.
      const last = new Map<string, T>();
      for (const r of rows) last.set(key(r), r);
      list = [...last.values()];
    }
    const t = chTable(table);
    for (let i = 0; i < list.length; i += BATCH)
      await this.target.entry.insert(table, this.encode(t, list.slice(i, i + BATCH)));
  }

  appendEvents(rows: readonly EventRow[]) {
    return this.write('events', rows);
  }
  appendSessions(rows: readonly SessionRow[]) {
    return this.write('sessions', rows, (r) => r.sessionId);
  }
  upsertSessions(rows: readonly SessionRow[]) {
    return this.write('sessions', rows, (r) => r.sessionId);
  }
  appendIdentities(rows: readonly IdentityRow[]) {
    return this.write('identities', rows);
  }

  /**
   * A tracking write. ClickHouse has no multi-table transaction: the parts are written in an order
   * that is safe to repeat (events are deduplicated by message id, visits and contacts replaced by id),
   * so a writer that retries a failed batch ends with the same rows as one that succeeded.
   */
  async writeTracking(b: TrackingBatch): Promise<void> {
    if (!Array.isArray(b.events))
      throw new Error('the ClickHouse store takes tracking events as rows, not columns');
    await this.write('events', b.events);
    await this.write('sessions', [...b.sessions, ...(b.grownSessions ?? [])], (r) => r.sessionId);
    await this.write('identities', b.identities);
    await this.write('contacts', b.contacts, (r) => r.id);
    await this.write('contact_stage_history', b.stageChanges);
  }

  upsertContacts(rows: readonly ContactRow[]) {
    return this.write('contacts', rows, (r) => r.id);
  }
  appendStageChanges(rows: readonly StageChangeRow[]) {
    return this.write('contact_stage_history', rows);
  }
  upsertDeals(rows: readonly DealRow[]) {
    return this.write('deals', rows, (r) => r.id);
  }
  appendDealStageChanges(rows: readonly DealStageChangeRow[]) {
    return this.write('deal_stage_history', rows);
  }
  async appendSpend(rows: readonly SpendRow[]) {
    for (const r of rows) if (!(r.cost >= 0)) throw new UserError(`spend cost must be >= 0, got ${r.cost}`);
    return this.write('spend', rows);
  }
  appendEmailEvents(rows: readonly EmailEventRow[]) {
    return this.write('email_events', rows);
  }
  appendSocial(rows: readonly SocialRow[]) {
    return this.write('social_metrics', rows);
  }
  upsertCampaigns(rows: readonly CampaignRow[]) {
    return this.write('campaigns', rows, (r) => r.id);
  }

  async replaceSpend(rows: readonly SpendRow[]) {
    for (const r of rows) if (!(r.cost >= 0)) throw new UserError(`spend cost must be >= 0, got ${r.cost}`);
    await this.deleteByKey('spend', rows, (r) => ({
      date: r.date,
      channel: r.channel,
      source: r.source,
      medium: r.medium,
      campaign: r.campaign,
    }));
    await this.write('spend', rows);
  }
  async replaceSocial(rows: readonly SocialRow[]) {
    await this.deleteByKey('social_metrics', rows, (r) => ({
      date: r.date,
      network: r.network,
      metric: r.metric,
    }));
    await this.write('social_metrics', rows);
  }

  /** Deletes stored rows sharing a natural key with `rows` (nulls match nulls), 200 keys a statement. */
  private async deleteByKey<T>(table: string, rows: readonly T[], key: (r: T) => Record<string, SqlParam>) {
    const keys = new Map<string, Record<string, SqlParam>>();
    for (const r of rows) keys.set(JSON.stringify(key(r)), key(r));
    const list = [...keys.values()];
    for (let i = 0; i < list.length; i += 200) {
      const params: Record<string, SqlParam> = { ws: this.ws };
      const ors = list.slice(i, i + 200).map((k, j) => {
        const conds = Object.entries(k).map(([col, v]) => {
          const p = `k${j}_${col}`;
          params[p] = v;
          return v === null ? `${col} IS NULL` : `${col} = $${p}`;
        });
        return `(${conds.join(' AND ')})`;
      });
      await this.deleteWhere(table, `workspace_id = $ws AND (${ors.join(' OR ')})`, params);
    }
  }

  /** Lightweight DELETE (visible at once) on each node holding the table's rows. */
  private async deleteWhere(table: string, where: string, params: Record<string, SqlParam>) {
    const t = chTable(table);
    const sharded = this.target.cluster && t.person;
    const nodes = sharded ? (this.target.shards ?? [this.target.entry]) : [this.target.entry];
    const name = sharded ? `${table}_local` : table;
    for (const node of nodes) {
      if (this.features.legacy) {
        // 18.x has no lightweight DELETE: a mutation, applied in the background.
        await node.command(`ALTER TABLE ${name} DELETE WHERE ${where}`, params);
      } else {
        await node.command(`DELETE FROM ${name} WHERE ${where}`, params);
      }
    }
  }

  async getContact(id: string): Promise<ContactRow | null> {
    const r = (await this.query('SELECT * FROM @contacts WHERE id = $id', { id }))[0];
    return r ? decodeContact(r) : null;
  }

  async findContactByEmail(email: string): Promise<ContactRow | null> {
    const r = (
      await this.query(
        'SELECT * FROM @contacts WHERE lower(email) = lower($email) ORDER BY created_at LIMIT 1',
        { email },
      )
    )[0];
    return r ? decodeContact(r) : null;
  }

  async getDeal(id: string): Promise<DealRow | null> {
    const r = (await this.query('SELECT * FROM @deals WHERE id = $id', { id }))[0];
    return r ? decodeDeal(r) : null;
  }

  /**
   * Scores replace by contact and model; a move sets the contact's stage and fills a missing MQL/SQL
   * date (the CRM's wins) by writing a new version of the contact, and is recorded in the history.
   */
  async writeScores(
    scores: readonly ContactScoreRow[],
    changes: readonly LifecycleChangeRow[],
    moves: readonly StageMove[],
  ): Promise<void> {
    await this.write('contact_scores', scores, (r) => `${r.contactId}\u0000${r.model}`);
    await this.write('lifecycle_changes', changes);
    if (!moves.length) return;
    const ids = [...new Set(moves.map((m) => m.contactId))];
    const stored = new Map<string, ContactRow>();
    for (let i = 0; i < ids.length; i += 1000) {
      const params: Record<string, SqlParam> = {};
      const list = ids.slice(i, i + 1000).map((id, j) => {
        params[`c${j}`] = id;
        return `$c${j}`;
      });
      for (const r of await this.query(`SELECT * FROM @contacts WHERE id IN (${list.join(', ')})`, params))
        stored.set(String(r.id), decodeContact(r));
    }
    for (const m of moves) {
      const c = stored.get(m.contactId);
      if (!c) continue;
      c.lifecycleStage = m.stage as ContactRow['lifecycleStage'];
      if (m.stage === 'mql') c.mqlAt ??= m.at;
      if (m.stage === 'sql') c.sqlAt ??= m.at;
    }
    await this.write('contacts', [...stored.values()], (r) => r.id);
    await this.write(
      'contact_stage_history',
      moves.map((m) => ({ contactId: m.contactId, stage: m.stage, at: m.at, reason: m.reason })),
    );
  }

  /**
   * Rows as another store reads them back (column name → value: Date, DuckDB DATE values, JSON text),
   * for `northstar copy`; each gets a fresh `_version` like any write.
   */
  async insertRaw(table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const t = chTable(table);
    const version = t.replacing ? nextVersions(rows.length) : 0;
    const out = rows.map((r, i) => {
      const o: Record<string, unknown> = { workspace_id: this.ws };
      for (const c of t.columns) {
        const v = r[c.name];
        o[c.name] = c.kind === 'date' && v != null ? dateText(v) : this.value(c, v);
      }
      if (t.replacing) o._version = version + i;
      return o;
    });
    await this.target.entry.insert(table, out);
  }

  /** The read copy of one audit entry (see ch.schema.ts). */
  copyAudit(row: AuditRow): Promise<void> {
    return this.write('audit_log', [row]);
  }

  /** The read copy of the workspace's scoring rules (replaced). */
  copyScoringRules(rules: StoredRules): Promise<void> {
    return this.write('scoring_rules', [rules], () => this.ws);
  }

  async clearData(): Promise<void> {
    for (const t of CH_TABLES) await this.deleteWhere(t.name, 'workspace_id = $ws', { ws: this.ws });
  }

  async counts(): Promise<DataCounts> {
    const rows = await this.query<Record<keyof DataCounts, number>>(
      `SELECT (SELECT count() FROM @events) AS events, (SELECT count() FROM @contacts) AS contacts,
              (SELECT count() FROM @deals) AS deals, (SELECT count() FROM @spend) AS spend,
              (SELECT count() FROM @email_events) AS email, (SELECT count() FROM @social_metrics) AS social`,
    );
    const r = rows[0];
    if (!r) throw new Error('count query returned no row');
    return {
      events: r.events,
      contacts: r.contacts,
      deals: r.deals,
      spend: r.spend,
      email: r.email,
      social: r.social,
    };
  }

  async query<T extends Row = Row>(sql: string, params: Record<string, SqlParam> = {}): Promise<T[]> {
    if ('ws' in params) throw new Error('$ws is reserved for the workspace');
    return this.target.entry.query<T>(scopeChSql(sql), { ...params, ws: this.ws });
  }
}
