/**
 * Versioned schema migrations for the DuckDB store. Each runs once, in order, inside a transaction,
 * and is recorded in `schema_migrations`. Never edit a released migration: add the next one.
 *
 * Timestamps are TIMESTAMP holding UTC; local dates (spend, social) are DATE in the workspace's zone.
 * Every table but the global ones (workspaces, users, auth_sessions, schema_migrations, journal_state) starts with
 * workspace_id.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial data model',
    statements: [
      `CREATE TABLE workspaces (
        id VARCHAR PRIMARY KEY, slug VARCHAR NOT NULL UNIQUE, name VARCHAR NOT NULL,
        timezone VARCHAR NOT NULL, currency VARCHAR NOT NULL, settings JSON NOT NULL,
        created_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE users (
        id VARCHAR PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, name VARCHAR,
        password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE memberships (
        workspace_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, role VARCHAR NOT NULL,
        PRIMARY KEY (workspace_id, user_id))`,
      `CREATE TABLE api_keys (
        id VARCHAR PRIMARY KEY, workspace_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        key_hash VARCHAR NOT NULL UNIQUE, prefix VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP)`,
      `CREATE TABLE events (
        workspace_id VARCHAR NOT NULL, message_id VARCHAR NOT NULL, type VARCHAR NOT NULL, event VARCHAR,
        anonymous_id VARCHAR, user_id VARCHAR, ts TIMESTAMP NOT NULL, received_at TIMESTAMP NOT NULL,
        session_id VARCHAR, channel VARCHAR, source VARCHAR, medium VARCHAR, campaign VARCHAR,
        term VARCHAR, content VARCHAR, referrer VARCHAR, url VARCHAR, path VARCHAR,
        click_id_type VARCHAR, click_id VARCHAR, revenue DOUBLE, value DOUBLE, currency VARCHAR,
        properties JSON, context JSON, traits JSON)`,
      `CREATE TABLE sessions (
        workspace_id VARCHAR NOT NULL, session_id VARCHAR NOT NULL, anonymous_id VARCHAR, user_id VARCHAR,
        started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP NOT NULL, events INTEGER NOT NULL,
        page_views INTEGER NOT NULL, channel VARCHAR NOT NULL, source VARCHAR, medium VARCHAR,
        campaign VARCHAR, term VARCHAR, content VARCHAR, referrer VARCHAR, landing_path VARCHAR)`,
      `CREATE TABLE identities (
        workspace_id VARCHAR NOT NULL, anonymous_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL,
        first_seen TIMESTAMP NOT NULL, via VARCHAR NOT NULL)`,
      `CREATE TABLE contacts (
        workspace_id VARCHAR NOT NULL, id VARCHAR NOT NULL, email VARCHAR, first_name VARCHAR,
        last_name VARCHAR, company VARCHAR, industry VARCHAR, job_title VARCHAR, company_size VARCHAR,
        country VARCHAR, market VARCHAR, lifecycle_stage VARCHAR NOT NULL, original_source VARCHAR,
        owner VARCHAR, created_at TIMESTAMP NOT NULL, subscriber_at TIMESTAMP, lead_at TIMESTAMP,
        mql_at TIMESTAMP, sal_at TIMESTAMP, sql_at TIMESTAMP, opportunity_at TIMESTAMP,
        customer_at TIMESTAMP, properties JSON, PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE contact_stage_history (
        workspace_id VARCHAR NOT NULL, contact_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL, reason VARCHAR NOT NULL)`,
      `CREATE TABLE deals (
        workspace_id VARCHAR NOT NULL, id VARCHAR NOT NULL, contact_id VARCHAR, name VARCHAR,
        amount DOUBLE NOT NULL, currency VARCHAR NOT NULL, stage VARCHAR NOT NULL, pipeline VARCHAR,
        owner VARCHAR, created_at TIMESTAMP NOT NULL, closed_at TIMESTAMP, won BOOLEAN, properties JSON,
        PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE deal_stage_history (
        workspace_id VARCHAR NOT NULL, deal_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE spend (
        workspace_id VARCHAR NOT NULL, date DATE NOT NULL, channel VARCHAR NOT NULL, source VARCHAR,
        medium VARCHAR, campaign VARCHAR, cost DOUBLE NOT NULL, currency VARCHAR NOT NULL,
        impressions BIGINT, clicks BIGINT, reach BIGINT)`,
      `CREATE TABLE email_events (
        workspace_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, email VARCHAR NOT NULL, contact_id VARCHAR,
        campaign VARCHAR, type VARCHAR NOT NULL)`,
      `CREATE TABLE social_metrics (
        workspace_id VARCHAR NOT NULL, date DATE NOT NULL, network VARCHAR NOT NULL, metric VARCHAR NOT NULL,
        value DOUBLE NOT NULL)`,
      `CREATE TABLE campaigns (
        workspace_id VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR NOT NULL, channel VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, launched_at TIMESTAMP NOT NULL, budget DOUBLE, PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE goals (
        workspace_id VARCHAR NOT NULL, id VARCHAR NOT NULL, parent_id VARCHAR, kind VARCHAR NOT NULL,
        title VARCHAR NOT NULL, owner VARCHAR, position INTEGER NOT NULL, spec JSON NOT NULL,
        updated_at TIMESTAMP NOT NULL, PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE checkins (
        workspace_id VARCHAR NOT NULL, objective_id VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL, note VARCHAR NOT NULL, confidence DOUBLE)`,
      `CREATE TABLE custom_kpis (
        workspace_id VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR NOT NULL, formula VARCHAR NOT NULL,
        unit VARCHAR NOT NULL, direction VARCHAR NOT NULL, description VARCHAR, PRIMARY KEY (workspace_id, id))`,
      `CREATE TABLE audit_log (
        workspace_id VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL,
        entity VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, before JSON, after JSON)`,
    ],
  },
  {
    version: 2,
    name: 'sessions keyed by id, so live tracking can update a visit as it grows',
    statements: [
      `CREATE TABLE sessions_v2 (
        workspace_id VARCHAR NOT NULL, session_id VARCHAR NOT NULL, anonymous_id VARCHAR, user_id VARCHAR,
        started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP NOT NULL, events INTEGER NOT NULL,
        page_views INTEGER NOT NULL, channel VARCHAR NOT NULL, source VARCHAR, medium VARCHAR,
        campaign VARCHAR, term VARCHAR, content VARCHAR, referrer VARCHAR, landing_path VARCHAR,
        PRIMARY KEY (workspace_id, session_id))`,
      `INSERT INTO sessions_v2 SELECT * FROM sessions
        QUALIFY row_number() OVER (PARTITION BY workspace_id, session_id ORDER BY ended_at DESC, events DESC) = 1`,
      'DROP TABLE sessions',
      'ALTER TABLE sessions_v2 RENAME TO sessions',
    ],
  },
  {
    version: 3,
    name: 'the tracking journal: the last journaled write applied to the tables',
    statements: [
      'CREATE TABLE journal_state (id INTEGER PRIMARY KEY, applied_seq BIGINT NOT NULL)',
      'INSERT INTO journal_state VALUES (1, 0)',
    ],
  },
  {
    version: 4,
    name: 'imports keep contacts whose stage is not mapped and deals without an amount',
    statements: [
      'ALTER TABLE contacts ALTER COLUMN lifecycle_stage DROP NOT NULL',
      'ALTER TABLE deals ALTER COLUMN amount DROP NOT NULL',
    ],
  },
  {
    version: 5,
    name: 'lead scoring: rules, scores per contact and model, lifecycle changes with their score',
    statements: [
      `CREATE TABLE scoring_rules (
        workspace_id VARCHAR PRIMARY KEY, yaml VARCHAR NOT NULL, rules JSON NOT NULL, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE contact_scores (
        workspace_id VARCHAR NOT NULL, contact_id VARCHAR NOT NULL, model VARCHAR NOT NULL, fit DOUBLE NOT NULL,
        behaviour DOUBLE NOT NULL, score DOUBLE NOT NULL, computed_at TIMESTAMP NOT NULL,
        PRIMARY KEY (workspace_id, contact_id, model))`,
      `CREATE TABLE lifecycle_changes (
        workspace_id VARCHAR NOT NULL, contact_id VARCHAR NOT NULL, model VARCHAR NOT NULL, stage VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL, score DOUBLE, fit DOUBLE, behaviour DOUBLE, source VARCHAR NOT NULL,
        reason VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 6,
    name: 'api keys: when each was last used',
    statements: ['ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP'],
  },
  {
    version: 7,
    name: 'accounts: API tokens with a role, server-side sign-in sessions',
    statements: [
      // Tokens (ns_t_) live with the keys; their role (editor or admin) is here, null for other kinds.
      'ALTER TABLE api_keys ADD COLUMN role VARCHAR',
      // Only the SHA-256 of a session id is stored, like keys: a copy of the database signs no one in.
      `CREATE TABLE auth_sessions (
        id_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, csrf VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, last_seen_at TIMESTAMP NOT NULL)`,
    ],
  },
];
