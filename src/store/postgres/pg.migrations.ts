/**
 * Versioned migrations of the PostgreSQL metadata store (its own numbering, independent of DuckDB's).
 * Each runs once, in a transaction, recorded in `schema_migrations`. Never edit a released one.
 * Timestamps are `timestamptz`; JSON documents `jsonb`. The tables mirror DuckDB's metadata tables
 * column for column, so `northstar copy` moves rows without reshaping them.
 */
export interface PgMigration {
  version: number;
  name: string;
  statements: string[];
}

export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'metadata: workspaces, users, memberships, keys, goals, check-ins, custom KPIs, audit, scoring rules',
    statements: [
      `CREATE TABLE workspaces (
        id text PRIMARY KEY, slug text NOT NULL UNIQUE, name text NOT NULL, timezone text NOT NULL,
        currency text NOT NULL, settings jsonb NOT NULL, created_at timestamptz NOT NULL)`,
      `CREATE TABLE users (
        id text PRIMARY KEY, email text NOT NULL UNIQUE, name text, password_hash text NOT NULL,
        created_at timestamptz NOT NULL)`,
      `CREATE TABLE memberships (
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE, role text NOT NULL,
        PRIMARY KEY (workspace_id, user_id))`,
      `CREATE TABLE api_keys (
        id text PRIMARY KEY, workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        kind text NOT NULL, key_hash text NOT NULL UNIQUE, prefix text NOT NULL,
        created_at timestamptz NOT NULL, revoked_at timestamptz, last_used_at timestamptz)`,
      'CREATE INDEX api_keys_workspace ON api_keys (workspace_id)',
      `CREATE TABLE goals (
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, id text NOT NULL,
        parent_id text, kind text NOT NULL, title text NOT NULL, owner text, position integer NOT NULL,
        spec jsonb NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE checkins (
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, objective_id text NOT NULL,
        created_at timestamptz NOT NULL, author text NOT NULL, note text NOT NULL, confidence double precision)`,
      'CREATE INDEX checkins_objective ON checkins (workspace_id, objective_id, created_at)',
      `CREATE TABLE custom_kpis (
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, id text NOT NULL,
        name text NOT NULL, formula text NOT NULL, unit text NOT NULL, direction text NOT NULL,
        description text, PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE audit_log (
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, created_at timestamptz NOT NULL,
        actor text NOT NULL, action text NOT NULL, entity text NOT NULL, entity_id text NOT NULL,
        before jsonb, after jsonb)`,
      'CREATE INDEX audit_log_recent ON audit_log (workspace_id, created_at DESC)',
      `CREATE TABLE scoring_rules (
        workspace_id text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE, yaml text NOT NULL,
        rules jsonb NOT NULL, updated_at timestamptz NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: 'accounts: API tokens with a role, server-side sign-in sessions',
    statements: [
      // As DuckDB's migration 7: a token's role (editor or admin), null for write and read keys.
      'ALTER TABLE api_keys ADD COLUMN role text',
      // Only the SHA-256 of a session id is stored: a copy of the database signs no one in.
      `CREATE TABLE auth_sessions (
        id_hash text PRIMARY KEY, user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf text NOT NULL, created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL)`,
      'CREATE INDEX auth_sessions_user ON auth_sessions (user_id)',
    ],
  },
  {
    version: 3,
    name: 'share links and weekly report settings (as DuckDB migrations 8 and 9)',
    statements: [
      `CREATE TABLE shares (
        id text PRIMARY KEY, workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        board text NOT NULL, token_hash text NOT NULL UNIQUE, prefix text NOT NULL,
        created_at timestamptz NOT NULL, created_by text NOT NULL, expires_at timestamptz,
        revoked_at timestamptz, internal boolean NOT NULL)`,
      'CREATE INDEX shares_workspace ON shares (workspace_id, created_at DESC)',
      `CREATE TABLE report_settings (
        workspace_id text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE, settings jsonb NOT NULL,
        last_sent_at timestamptz, updated_at timestamptz NOT NULL)`,
    ],
  },
];
