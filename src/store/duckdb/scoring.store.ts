/**
 * Lead-scoring tables of the DuckDB store (migration 5): the rule document, contact scores and
 * lifecycle changes. Kept apart from workspace.store.ts, which delegates here.
 */
import type { StageChangeRow } from '../../domain/crm.js';
import type {
  ContactScoreRow,
  LifecycleChangeRow,
  ScoringRules,
  StageMove,
  StoredRules,
} from '../../domain/scoring.js';
import { STAGE_CHANGE_COLUMNS } from './columns.js';
import { appendRows, type ColumnSpec, type Db, exec } from './db.js';

export const SCORE_COLUMNS: ColumnSpec<ContactScoreRow>[] = [
  { name: 'contact_id', kind: 'varchar', get: (r) => r.contactId },
  { name: 'model', kind: 'varchar', get: (r) => r.model },
  { name: 'fit', kind: 'double', get: (r) => r.fit },
  { name: 'behaviour', kind: 'double', get: (r) => r.behaviour },
  { name: 'score', kind: 'double', get: (r) => r.score },
  { name: 'computed_at', kind: 'timestamp', get: (r) => r.computedAt },
];

export const CHANGE_COLUMNS: ColumnSpec<LifecycleChangeRow>[] = [
  { name: 'contact_id', kind: 'varchar', get: (r) => r.contactId },
  { name: 'model', kind: 'varchar', get: (r) => r.model },
  { name: 'stage', kind: 'varchar', get: (r) => r.stage },
  { name: 'changed_at', kind: 'timestamp', get: (r) => r.at },
  { name: 'score', kind: 'double', get: (r) => r.score },
  { name: 'fit', kind: 'double', get: (r) => r.fit },
  { name: 'behaviour', kind: 'double', get: (r) => r.behaviour },
  { name: 'source', kind: 'varchar', get: (r) => r.source },
  { name: 'reason', kind: 'varchar', get: (r) => r.reason },
];

interface ContactMove {
  contactId: string;
  stage: string;
  mqlAt: Date | null;
  sqlAt: Date | null;
}
const MOVE_COLUMNS: ColumnSpec<ContactMove>[] = [
  { name: 'contact_id', kind: 'varchar', get: (r) => r.contactId },
  { name: 'stage', kind: 'varchar', get: (r) => r.stage },
  { name: 'mql_at', kind: 'timestamp', get: (r) => r.mqlAt },
  { name: 'sql_at', kind: 'timestamp', get: (r) => r.sqlAt },
];

export async function getScoringRules(db: Db, ws: string): Promise<StoredRules | null> {
  const rows = await db.all('SELECT yaml, rules, updated_at FROM scoring_rules WHERE workspace_id = $ws', {
    ws,
  });
  const r = rows[0];
  if (!r) return null;
  return {
    yaml: String(r.yaml),
    rules: JSON.parse(String(r.rules)) as ScoringRules,
    updatedAt: r.updated_at as Date,
  };
}

export async function putScoringRules(db: Db, ws: string, yaml: string, rules: ScoringRules): Promise<void> {
  await db.run('INSERT OR REPLACE INTO scoring_rules VALUES ($ws, $yaml, $rules, $at)', {
    ws,
    yaml,
    rules: JSON.stringify(rules),
    at: new Date(),
  });
}

/**
 * Scores (replaced by contact and model), lifecycle changes, and scoring's stage moves, in one
 * transaction. A move sets the contact's stage and fills its stage date only where none is stored
 * (the CRM's date wins), and is recorded in contact_stage_history.
 */
export async function writeScores(
  db: Db,
  ws: string,
  scores: readonly ContactScoreRow[],
  changes: readonly LifecycleChangeRow[],
  moves: readonly StageMove[],
): Promise<void> {
  if (!scores.length && !changes.length && !moves.length) return;
  const byContact = new Map<string, ContactMove>();
  for (const m of moves) {
    const c = byContact.get(m.contactId) ?? {
      contactId: m.contactId,
      stage: m.stage,
      mqlAt: null,
      sqlAt: null,
    };
    c.stage = m.stage;
    if (m.stage === 'mql') c.mqlAt = m.at;
    if (m.stage === 'sql') c.sqlAt = m.at;
    byContact.set(m.contactId, c);
  }
  await db.transaction(async (c) => {
    if (scores.length) {
      await c.run(
        'CREATE TEMP TABLE IF NOT EXISTS stage_contact_scores AS SELECT * FROM contact_scores LIMIT 0',
      );
      await c.run('DELETE FROM stage_contact_scores');
      await appendRows(c, 'stage_contact_scores', ws, SCORE_COLUMNS, scores, 'main', 'temp');
      await c.run('INSERT OR REPLACE INTO contact_scores SELECT * FROM stage_contact_scores');
    }
    await appendRows(c, 'lifecycle_changes', ws, CHANGE_COLUMNS, changes);
    if (byContact.size) {
      await c.run(`CREATE TEMP TABLE IF NOT EXISTS stage_score_moves (
        workspace_id VARCHAR, contact_id VARCHAR, stage VARCHAR, mql_at TIMESTAMP, sql_at TIMESTAMP)`);
      await c.run('DELETE FROM stage_score_moves');
      await appendRows(c, 'stage_score_moves', ws, MOVE_COLUMNS, [...byContact.values()], 'main', 'temp');
      await exec(
        c,
        `UPDATE contacts SET lifecycle_stage = m.stage,
           mql_at = coalesce(contacts.mql_at, m.mql_at), sql_at = coalesce(contacts.sql_at, m.sql_at)
         FROM stage_score_moves m WHERE contacts.workspace_id = $ws AND contacts.id = m.contact_id`,
        { ws },
      );
      const history: StageChangeRow[] = moves.map((m) => ({
        contactId: m.contactId,
        stage: m.stage,
        at: m.at,
        reason: m.reason,
      }));
      await appendRows(c, 'contact_stage_history', ws, STAGE_CHANGE_COLUMNS, history);
    }
  });
}
