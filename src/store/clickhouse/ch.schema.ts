import type { AuditRow } from '../../domain/goal.js';
import type { StoredRules } from '../../domain/scoring.js';
import {
  CAMPAIGN_COLUMNS,
  CONTACT_COLUMNS,
  DEAL_COLUMNS,
  DEAL_STAGE_COLUMNS,
  EMAIL_COLUMNS,
  EVENT_COLUMNS,
  IDENTITY_COLUMNS,
  SESSION_COLUMNS,
  SOCIAL_COLUMNS,
  SPEND_COLUMNS,
  STAGE_CHANGE_COLUMNS,
} from '../duckdb/columns.js';
import type { ColumnKind, ColumnSpec } from '../duckdb/db.js';
import { CHANGE_COLUMNS, SCORE_COLUMNS } from '../duckdb/scoring.store.js';

/**
 * The analytic tables on ClickHouse, generated from the same column lists the DuckDB adapter appends
 * with, so both engines hold the same columns in the same order (workspace_id first).
 *
 * - Rows replaced by id (events by message id, visits, contacts, deals, campaigns, scores) use
 *   ReplacingMergeTree with an insertion `_version`; every read goes through `FINAL` (see
 *   `scopedTable`), so results are exact before background merges: a message id written twice
 *   counts once.
 * - Events and visits are partitioned by month and ordered by workspace and day, the shape of every
 *   KPI query (one workspace, a range of days).
 * - `person` is the sharding key of a Distributed deployment: the anonymous id (else the user id), so
 *   a browser's events, visits and identity links land on one shard and its journey is never split.
 */
export interface ChTable {
  name: string;
  columns: readonly ColumnSpec<never>[];
  notNull: readonly string[];
  /** Replaced by key (ReplacingMergeTree over `_version`) rather than appended. */
  replacing: boolean;
  orderBy: string;
  partitionBy?: string;
  /** Sharding expression for a Distributed table; tables without one stay on the first shard. */
  person?: string;
}

/**
 * Read copies of two metadata tables that analytic queries join (objective statuses from the audit
 * log, the SLA from the scoring rules). PostgreSQL stays the source of truth; SplitStore writes both.
 */
const AUDIT_COLUMNS: ColumnSpec<AuditRow>[] = [
  { name: 'created_at', kind: 'timestamp', get: (r) => r.at },
  { name: 'actor', kind: 'varchar', get: (r) => r.actor },
  { name: 'action', kind: 'varchar', get: (r) => r.action },
  { name: 'entity', kind: 'varchar', get: (r) => r.entity },
  { name: 'entity_id', kind: 'varchar', get: (r) => r.entityId },
  { name: 'before', kind: 'json', get: (r) => r.before ?? null },
  { name: 'after', kind: 'json', get: (r) => r.after ?? null },
];
const RULES_COLUMNS: ColumnSpec<StoredRules>[] = [
  { name: 'yaml', kind: 'varchar', get: (r) => r.yaml },
  { name: 'rules', kind: 'json', get: (r) => r.rules },
  { name: 'updated_at', kind: 'timestamp', get: (r) => r.updatedAt },
];

const cols = <T>(c: readonly ColumnSpec<T>[]) => c as unknown as readonly ColumnSpec<never>[];

export const CH_TABLES: readonly ChTable[] = [
  {
    name: 'events',
    columns: cols(EVENT_COLUMNS),
    notNull: ['message_id', 'type', 'ts', 'received_at'],
    replacing: true,
    partitionBy: 'toYYYYMM(ts)',
    orderBy: '(workspace_id, toDate(ts), message_id)',
    person: "cityHash64(workspace_id, ifNull(anonymous_id, ifNull(user_id, '')))",
  },
  {
    name: 'sessions',
    columns: cols(SESSION_COLUMNS),
    notNull: ['session_id', 'started_at', 'ended_at', 'events', 'page_views', 'channel'],
    replacing: true,
    partitionBy: 'toYYYYMM(started_at)',
    orderBy: '(workspace_id, toDate(started_at), session_id)',
    person: "cityHash64(workspace_id, ifNull(anonymous_id, ifNull(user_id, '')))",
  },
  {
    name: 'identities',
    columns: cols(IDENTITY_COLUMNS),
    notNull: ['anonymous_id', 'user_id', 'first_seen', 'via'],
    replacing: false,
    orderBy: '(workspace_id, anonymous_id)',
    person: 'cityHash64(workspace_id, anonymous_id)',
  },
  {
    name: 'contacts',
    columns: cols(CONTACT_COLUMNS),
    notNull: ['id', 'created_at'],
    replacing: true,
    orderBy: '(workspace_id, id)',
  },
  {
    name: 'contact_stage_history',
    columns: cols(STAGE_CHANGE_COLUMNS),
    notNull: ['contact_id', 'stage', 'changed_at', 'reason'],
    replacing: false,
    orderBy: '(workspace_id, contact_id, changed_at)',
  },
  {
    name: 'deals',
    columns: cols(DEAL_COLUMNS),
    notNull: ['id', 'currency', 'stage', 'created_at'],
    replacing: true,
    orderBy: '(workspace_id, id)',
  },
  {
    name: 'deal_stage_history',
    columns: cols(DEAL_STAGE_COLUMNS),
    notNull: ['deal_id', 'stage', 'changed_at'],
    replacing: false,
    orderBy: '(workspace_id, deal_id, changed_at)',
  },
  {
    name: 'spend',
    columns: cols(SPEND_COLUMNS),
    notNull: ['date', 'channel', 'cost', 'currency'],
    replacing: false,
    partitionBy: 'toYYYYMM(date)',
    orderBy: '(workspace_id, date, channel)',
  },
  {
    name: 'email_events',
    columns: cols(EMAIL_COLUMNS),
    notNull: ['ts', 'email', 'type'],
    replacing: false,
    partitionBy: 'toYYYYMM(ts)',
    orderBy: '(workspace_id, toDate(ts), type)',
  },
  {
    name: 'social_metrics',
    columns: cols(SOCIAL_COLUMNS),
    notNull: ['date', 'network', 'metric', 'value'],
    replacing: false,
    orderBy: '(workspace_id, date, network, metric)',
  },
  {
    name: 'campaigns',
    columns: cols(CAMPAIGN_COLUMNS),
    notNull: ['id', 'name', 'channel', 'kind', 'launched_at'],
    replacing: true,
    orderBy: '(workspace_id, id)',
  },
  {
    name: 'contact_scores',
    columns: cols(SCORE_COLUMNS),
    notNull: ['contact_id', 'model', 'fit', 'behaviour', 'score', 'computed_at'],
    replacing: true,
    orderBy: '(workspace_id, contact_id, model)',
  },
  {
    name: 'lifecycle_changes',
    columns: cols(CHANGE_COLUMNS),
    notNull: ['contact_id', 'model', 'stage', 'changed_at', 'source', 'reason'],
    replacing: false,
    orderBy: '(workspace_id, contact_id, changed_at)',
  },
  {
    name: 'audit_log',
    columns: cols(AUDIT_COLUMNS),
    notNull: ['created_at', 'actor', 'action', 'entity', 'entity_id'],
    replacing: false,
    orderBy: '(workspace_id, created_at)',
  },
  {
    name: 'scoring_rules',
    columns: cols(RULES_COLUMNS),
    notNull: ['yaml', 'rules', 'updated_at'],
    replacing: true,
    orderBy: 'workspace_id',
  },
];

export function chTable(name: string): ChTable {
  const t = CH_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`no ClickHouse table ${name}`);
  return t;
}

/** What a release supports: 18.x (Debian's package) has neither DateTime64 nor Bool nor Date32. */
export interface ChFeatures {
  legacy: boolean;
}

function chType(kind: ColumnKind, f: ChFeatures): string {
  switch (kind) {
    case 'varchar':
    case 'json':
      return 'String';
    case 'double':
      return 'Float64';
    case 'integer':
      return 'Int32';
    case 'bigint':
      return 'Int64';
    case 'boolean':
      return f.legacy ? 'UInt8' : 'Bool';
    case 'timestamp':
      return f.legacy ? "DateTime('UTC')" : "DateTime64(3, 'UTC')";
    case 'date':
      return f.legacy ? 'Date' : 'Date32';
  }
}

/** `workspace_id` and the table's columns with their ClickHouse types, plus `_version` if replacing. */
export function columnDefs(t: ChTable, f: ChFeatures): string {
  const defs = ['workspace_id String'];
  for (const c of t.columns) {
    const type = chType(c.kind, f);
    defs.push(`${c.name} ${t.notNull.includes(c.name) ? type : `Nullable(${type})`}`);
  }
  if (t.replacing) defs.push('_version UInt64');
  return defs.join(', ');
}

/** CREATE TABLE for one node: the table itself, or `<name>_local` under a Distributed table. */
export function createTable(t: ChTable, f: ChFeatures, name = t.name): string {
  const engine = t.replacing ? 'ReplacingMergeTree(_version)' : 'MergeTree';
  const partition = t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : '';
  return `CREATE TABLE IF NOT EXISTS ${name} (${columnDefs(t, f)}) ENGINE = ${engine}${partition} ORDER BY ${t.orderBy}`;
}

/** The Distributed table over `<name>_local` on every shard of `cluster`, sharded by person. */
export function createDistributed(t: ChTable, f: ChFeatures, cluster: string, database: string): string {
  const key = t.person ?? 'rand()';
  return `CREATE TABLE IF NOT EXISTS ${t.name} (${columnDefs(t, f)}) ENGINE = Distributed(${cluster}, ${database}, ${t.name}_local, ${key})`;
}

/** The workspace-bound subquery a scoped `@table` becomes: explicit columns, deduplicated by FINAL. */
export function scopedTable(t: ChTable): string {
  const names = ['workspace_id', ...t.columns.map((c) => c.name)].join(', ');
  return `(SELECT ${names} FROM ${t.name}${t.replacing ? ' FINAL' : ''} WHERE workspace_id = $ws)`;
}
