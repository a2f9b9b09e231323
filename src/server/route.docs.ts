/**
 * The summary, tag and error answers of every route, for the OpenAPI description served at
 * `/api/docs` (a browsable page) and `/api/docs/json`. Kept here, beside no handler, so one list shows
 * the whole API; `app.ts` attaches each entry when its route is registered, and a test fails for a
 * route without one.
 */
export interface RouteDoc {
  summary: string;
  tag:
    | 'tracking'
    | 'kpis'
    | 'goals'
    | 'attribution'
    | 'planning'
    | 'imports'
    | 'scoring'
    | 'accounts'
    | 'channels'
    | 'admin'
    | 'system';
  /** Error statuses the route answers besides 500 (each with `{ error }`). */
  errors: number[];
  /** Hidden from the description (internal routes, static files). */
  hide?: boolean;
}

const READ = [400, 401, 403];
const WRITE = [400, 401, 403, 413];
/** Admin and server-wide routes (workspace admins, or the local CLI credential only). */
const ADMIN = [400, 401, 403];

export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'GET /api/health': {
    summary: 'Liveness: `{"status":"ok"}` while the server serves',
    tag: 'system',
    errors: [],
  },
  'GET /': { summary: 'The dashboard (a single-page app)', tag: 'system', errors: [], hide: true },
  ...Object.fromEntries(
    ['/overview', '/goals', '/goals/:id', '/kpis', '/kpis/:id', '/attribution', '/funnel', '/planning']
      .concat(['/boards', '/boards/:board', '/data'])
      .map((p) => [`GET ${p}`, { summary: 'A dashboard page', tag: 'system', errors: [], hide: true }]),
  ),
  'GET /assets/:file': { summary: "The dashboard's files", tag: 'system', errors: [404], hide: true },
  'GET /favicon.ico': { summary: 'The icon', tag: 'system', errors: [], hide: true },
  'GET /api/v1/auth/me': {
    summary: 'The signed-in user, the chosen workspace and role, every membership, and the CSRF token',
    tag: 'accounts',
    errors: [401, 403],
  },
  'POST /api/v1/auth/signin': {
    summary: 'Signs in with e-mail and password: the session cookie, and what /auth/me answers',
    tag: 'accounts',
    errors: [400, 401, 429],
  },
  'POST /api/v1/auth/signout': {
    summary: 'Ends the session and clears its cookie',
    tag: 'accounts',
    errors: [],
  },
  'POST /api/v1/auth/password': {
    summary: "Changes the signed-in user's password; the user's other sessions end",
    tag: 'accounts',
    errors: [400, 401, 403, 429],
  },
  'GET /api/v1/auth/setup': {
    summary: 'Whether the first account is still to be created',
    tag: 'accounts',
    errors: [],
  },
  'POST /api/v1/auth/setup': {
    summary: 'Creates the first account (admin of every workspace) and signs it in; 409 once one exists',
    tag: 'accounts',
    errors: [400, 409],
  },
  'GET /api/v1/kpis': { summary: "The KPI catalog and the workspace's own KPIs", tag: 'kpis', errors: READ },
  'GET /api/v1/kpis/:id': {
    summary:
      'A KPI over a date range: total, or by period (grain) and breakdown (by), as `kpi ID --format json`',
    tag: 'kpis',
    errors: [...READ, 404],
  },
  'GET /api/v1/export/kpis/:id.csv': {
    summary: 'Every row of a KPI query (as GET /api/v1/kpis/{id}) as CSV, formula cells neutralised',
    tag: 'kpis',
    errors: [...READ, 404],
  },
  'PUT /api/v1/kpis/:id': {
    summary: "Defines one of the workspace's own KPIs from a formula, as `kpi define`",
    tag: 'kpis',
    errors: WRITE,
  },
  'GET /api/v1/funnel': {
    summary:
      'visit → lead → MQL → SQL → opportunity → customer: counts, conversion, median days, as `funnel`',
    tag: 'kpis',
    errors: READ,
  },
  'GET /api/v1/goals': {
    summary: "Every goal and objective with its KPI's progress and status",
    tag: 'goals',
    errors: READ,
  },
  'GET /api/v1/goals/status': {
    summary: 'Every objective with progress, expected, forecast and status, as `goals status --format json`',
    tag: 'goals',
    errors: READ,
  },
  'PUT /api/v1/goals': {
    summary: 'Loads a YAML goal plan as the goal tree (multipart `file`, or the YAML), as `goals apply`',
    tag: 'goals',
    errors: WRITE,
  },
  'GET /api/v1/goals/export': {
    summary: 'The goal tree as a YAML plan, under `yaml` (what `goals export` writes)',
    tag: 'goals',
    errors: READ,
  },
  'POST /api/v1/goals/check': {
    summary: "Records today's status changes of every workspace's objectives and alerts, as `goals check`",
    tag: 'goals',
    errors: ADMIN,
  },
  'GET /api/v1/checkins': { summary: 'Every check-in, newest first', tag: 'goals', errors: READ },
  'GET /api/v1/goals/webhooks': { summary: 'The URLs alerts go to', tag: 'goals', errors: READ },
  'POST /api/v1/goals/webhooks': {
    summary: 'Sends alerts to one more URL (body `{"url": …}`)',
    tag: 'goals',
    errors: WRITE,
  },
  'DELETE /api/v1/goals/webhooks': {
    summary: 'Stops sending alerts to a URL (body `{"url": …}`)',
    tag: 'goals',
    errors: WRITE,
  },
  'GET /api/v1/goals/lint': { summary: 'How to lint a plan (POST the YAML)', tag: 'goals', errors: READ },
  'POST /api/v1/goals/lint': {
    summary: 'The SMART check of a YAML goal plan (body: the YAML), as `goals lint`',
    tag: 'goals',
    errors: READ,
  },
  'GET /api/v1/goals/:id/checkins': {
    summary: "An objective's check-ins, newest first",
    tag: 'goals',
    errors: [...READ, 404],
  },
  'POST /api/v1/goals/:id/checkins': {
    summary: 'Adds a check-in to an objective',
    tag: 'goals',
    errors: [...WRITE, 404],
  },
  'GET /api/v1/attribution': {
    summary: 'Revenue or conversions credited to channels by one or every attribution model',
    tag: 'attribution',
    errors: READ,
  },
  'POST /api/v1/attribution/paths': {
    summary: 'Attribution over a path file (multipart `file`), as `attribution --paths FILE`',
    tag: 'attribution',
    errors: [...WRITE],
  },
  'GET /api/v1/plan/target': {
    summary: "Next year's revenue target from history, with its arithmetic",
    tag: 'planning',
    errors: READ,
  },
  'GET /api/v1/plan/funnel': {
    summary: 'The reverse funnel: visits, leads … customers and budget for a revenue goal',
    tag: 'planning',
    errors: READ,
  },
  'GET /api/v1/plan/review': {
    summary: 'The channel review: keep, cut or double down, with reasons',
    tag: 'planning',
    errors: READ,
  },
  'GET /api/v1/plan/roadmap': {
    summary:
      'The quarterly roadmap: focus areas ranked by revenue per unit of budget, with drafted SMART objectives',
    tag: 'planning',
    errors: READ,
  },
  'GET /api/v1/plan/roadmap/plan': {
    summary:
      "The roadmap's drafted objectives as a goal plan, under `yaml` (what `plan roadmap --out` writes)",
    tag: 'planning',
    errors: READ,
  },
  'GET /api/v1/channels': {
    summary: "GA4's default channel groups, in order",
    tag: 'channels',
    errors: READ,
  },
  'GET /api/v1/channels/rules': {
    summary: "The workspace's channel rules, first match wins",
    tag: 'channels',
    errors: READ,
  },
  'PUT /api/v1/channels/rules': {
    summary: "Replaces the workspace's channel rules (a JSON list, or a JSON or YAML file)",
    tag: 'channels',
    errors: WRITE,
  },
  'GET /api/v1/stats': { summary: 'Row counts per kind of data, as `stats`', tag: 'admin', errors: READ },
  'GET /api/v1/workspace': {
    summary: "The workspace's slug, time zone and currency",
    tag: 'admin',
    errors: READ,
  },
  'GET /api/v1/workspaces': { summary: 'Every workspace', tag: 'admin', errors: ADMIN },
  'POST /api/v1/workspaces': { summary: 'A new empty workspace', tag: 'admin', errors: ADMIN },
  'GET /api/v1/keys': {
    summary: "The workspace's keys: prefix, kind, created, last used, revoked",
    tag: 'admin',
    errors: [...ADMIN, 404],
  },
  'POST /api/v1/keys': {
    summary: 'A new key (`{"kind": "write"|"read"}`); the answer is the only time it is seen',
    tag: 'admin',
    errors: [...ADMIN, 404],
  },
  'DELETE /api/v1/keys/:key': {
    summary: 'Revokes a key, given whole or by its prefix',
    tag: 'admin',
    errors: [...ADMIN, 404],
  },
  'POST /api/v1/users': {
    summary: 'Makes a user (created when new) a member of the workspace with a role',
    tag: 'admin',
    errors: [...ADMIN, 404],
  },
  'GET /api/v1/audit': {
    summary: 'Who changed what and when, newest first',
    tag: 'admin',
    errors: [...ADMIN, 404],
  },
  'POST /api/v1/demo': {
    summary: '(Re)creates the demo workspace with reproducible data, as `demo`',
    tag: 'admin',
    errors: ADMIN,
  },
  'POST /api/v1/backups': {
    summary: 'Writes a consistent snapshot of the database in the data directory; answers its id and counts',
    tag: 'admin',
    errors: ADMIN,
  },
  'GET /api/v1/backups/:id': {
    summary: 'Streams a snapshot once, then deletes it from the data directory',
    tag: 'admin',
    errors: [...ADMIN, 404],
  },
  'POST /api/v1/import/:kind': {
    summary:
      'Imports a CSV or NDJSON upload (multipart `file`) of events, contacts, deals, spend, email or social',
    tag: 'imports',
    errors: [...WRITE, 404],
  },
  'GET /api/v1/scoring/rules': {
    summary: "The workspace's lead-scoring rules as YAML (what `score rules export` prints)",
    tag: 'scoring',
    errors: READ,
  },
  'PUT /api/v1/scoring/rules': {
    summary: 'Applies a scoring rules file (body: the YAML); nothing is applied from a file with errors',
    tag: 'scoring',
    errors: [...WRITE],
  },
  'POST /api/v1/scoring/rules/lint': {
    summary: 'Checks a scoring rules file, with line-numbered errors',
    tag: 'scoring',
    errors: READ,
  },
  'POST /api/v1/scoring/recompute': {
    summary: 'Recomputes every score and the automatic stage moves',
    tag: 'scoring',
    errors: WRITE,
  },
  'GET /api/v1/scoring/top': {
    summary: 'The highest-scoring contacts of a model',
    tag: 'scoring',
    errors: READ,
  },
  'GET /api/v1/scoring/contacts/:contact': {
    summary: "A contact's scores, the rules that gave them, and its stage history (by id or e-mail)",
    tag: 'scoring',
    errors: [...READ, 404],
  },
  'GET /api/v1/scoring/sla': {
    summary: 'The marketing-sales SLA: follow-ups, breaches and MQLs delivered per month',
    tag: 'scoring',
    errors: READ,
  },
  'POST /v1/:kind': {
    summary:
      'Segment-compatible tracking: track, identify, page, screen, group, alias, batch (and t, i, p, s, g, a)',
    tag: 'tracking',
    errors: [400, 401, 404, 413, 429],
  },
  'OPTIONS /v1/*': { summary: 'CORS preflight of the tracking API', tag: 'tracking', errors: [], hide: true },
  'GET /v1/projects/:writeKey/settings': {
    summary: "The browser SDK's settings for a write key",
    tag: 'tracking',
    errors: [404],
  },
  'GET /analytics.js/v1/:writeKey/analytics.min.js': {
    summary: 'The browser SDK',
    tag: 'tracking',
    errors: [],
    hide: true,
  },
  'GET /analytics-next/bundles/:file': {
    summary: "The browser SDK's bundles",
    tag: 'tracking',
    errors: [404],
    hide: true,
  },
};

/** The `{ error }` answer every route gives for a refused request; extra fields (line, field) pass. */
export const ERROR_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'string' }, requestId: { type: 'string' } },
  required: ['error'],
  additionalProperties: true,
} as const;

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid; `error` says what and where',
  401: 'No credential, or an unknown, revoked or expired one (key, token or session)',
  403: "The credential is of the wrong kind, or its role is below the route's, or the CSRF token is missing",
  409: 'It exists already',
  404: 'No such thing (KPI, objective, kind)',
  413: 'The body is over the size limit',
  429: 'Too many requests; retry after `Retry-After` seconds',
  500: 'An internal error, logged with the `requestId` it carries',
};

/** The OpenAPI `responses` entries for a route's errors. */
export function errorResponses(doc: RouteDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const status of [...doc.errors, 500])
    out[status] = { description: STATUS_TEXT[status] ?? 'Error', ...ERROR_SCHEMA };
  return out;
}
