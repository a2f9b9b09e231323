import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { isUserError } from '../core/errors.js';
import { DEPTH_REASON, exceedsDepth } from '../core/json.js';
import { Tracker } from '../ingest/tracker.js';
import type { Store } from '../store/store.js';
import { installAccess } from './access.js';
import { KeyUsage } from './key.cache.js';
import { createLogger, type Logger } from './logger.js';
import { RateLimiter, type RateLimitOptions, trackRateFromEnv } from './rate.limit.js';
import { errorResponses, ROUTE_DOCS } from './route.docs.js';
import { adminRoutes } from './routes/admin.route.js';
import { attributionRoutes } from './routes/attribution.route.js';
import { authRoutes } from './routes/auth.route.js';
import { channelsRoutes } from './routes/channels.route.js';
import { exportRoutes } from './routes/export.route.js';
import { faviconRoutes } from './routes/favicon.route.js';
import { goalsRoutes } from './routes/goals.route.js';
import { healthRoutes } from './routes/health.route.js';
import { homeRoutes } from './routes/home.route.js';
import { importRoutes } from './routes/import.route.js';
import { kpiRoutes } from './routes/kpi.route.js';
import { planRoutes } from './routes/plan.route.js';
import { reportRoutes } from './routes/report.route.js';
import { scoreRoutes } from './routes/score.route.js';
import { sdkRoutes } from './routes/sdk.route.js';
import { shareRoutes } from './routes/share.route.js';
import { trackRoutes } from './routes/track.route.js';
import { Sessions } from './sessions.js';
import { installStrictBodies } from './strict.body.js';

export interface AppOptions {
  store: Store;
  dataDir: string;
  /**
   * The local CLI credential (the token in the data directory's server file): admin of the workspace
   * its requests name (docs/architecture.md). Without one, only sessions, keys and tokens are accepted.
   */
  cliToken?: string;
  /** How long a sign-in session lasts without a request (default 14 days). */
  sessionIdleMs?: number;
  /** Where the app logs (5xx answers, faults); nothing is logged without one. */
  logger?: Logger;
  /**
   * The origin URLs the server hands out are built from (`--public-url`), or a function giving it
   * once the server listens. Its host name is answered besides the loopback names; any other Host
   * header is refused (421), so a DNS-rebinding page cannot read the API through a victim's browser.
   */
  publicUrl?: string | (() => string);
  /** Called after a JSON-API write succeeds (a plan, a check-in, an import): statuses may have moved. */
  onWrite?: () => void;
  /** Messages a second per write key on the tracking API (default: NORTHSTAR_TRACK_RATE, 50,000). */
  trackRate?: RateLimitOptions;
  /** The largest import upload and attribution path file (default MAX_UPLOAD_BYTES, 2 GiB). */
  maxUploadBytes?: number;
  /** Overrides of the client time limits below (tests use short ones). */
  timeouts?: { requestMs?: number; headersMs?: number; keepAliveMs?: number };
}

/**
 * How long a client may take. A client that declares a body and never sends it, or sends headers a
 * byte at a time, would otherwise hold its socket forever: the whole request must arrive within
 * REQUEST_TIMEOUT_MS (an upload too: 2 GiB needs about 7 MB/s) and its headers within
 * HEADERS_TIMEOUT_MS; a kept-alive connection with no request is closed after KEEP_ALIVE_MS. No limit
 * cuts a request the server is still answering (a long import, a demo build): the client waits.
 */
export const REQUEST_TIMEOUT_MS = 300_000;
export const HEADERS_TIMEOUT_MS = 15_000;
export const KEEP_ALIVE_MS = 30_000;

/** Routes registered without an entry in ROUTE_DOCS (a test requires none). */
export const undocumented = new Set<string>();

/** Requests whose failure the error handler logged already, so a 5xx is logged once. */
const logged = new WeakSet<FastifyRequest>();

/** The one wiring point: every route and its dependencies. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger ?? createLogger('silent'),
    // One line per request would drown the log at tracking rates; 5xx answers are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    // Ids come from us, never from a client's header, so a log line can be trusted to name one request.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    requestTimeout: opts.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS,
    keepAliveTimeout: opts.timeouts?.keepAliveMs ?? KEEP_ALIVE_MS,
    http: {
      headersTimeout: opts.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS,
      // Node checks the two limits above on this interval (30 s by default, which would add to them).
      connectionsCheckingInterval: Math.min(2_000, opts.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS),
    },
  });
  // Without --public-url: the address the server listens on, as a loopback URL.
  const publicUrl = () => {
    if (typeof opts.publicUrl === 'function') return opts.publicUrl();
    if (opts.publicUrl) return opts.publicUrl;
    const a = app.server.address();
    const listening = typeof a === 'object' && a ? a : null;
    const host = !listening || /^(0\.0\.0\.0|::)$/.test(listening.address) ? '127.0.0.1' : listening.address;
    return `http://${host.includes(':') ? `[${host}]` : host}${listening ? `:${listening.port}` : ''}`;
  };
  const configured =
    typeof opts.publicUrl === 'string' ? new URL(opts.publicUrl).hostname.toLowerCase() : null;
  // Bodies are validated strictly: no type coercion ("0.5" is no number, ["x"] no string) and unknown
  // fields refused with their names instead of dropped. Query strings and path parameters are text
  // by nature and keep Fastify's coercion (`?year=2026` is a number).
  // All errors of a body are collected (bodies are at most 1 MB and 32 levels deep) so that an
  // unknown field is the one named, not a required field its typo left missing.
  const strict = new Ajv({
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    allErrors: true,
    strict: false,
  });
  const loose = new Ajv({
    coerceTypes: 'array',
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : loose).compile(schema));
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (!hostAllowed(req.headers.host, configured))
      return reply.code(421).send({
        error: `this server does not answer to the host "${String(req.headers.host ?? '').slice(0, 100)}" (see --public-url)`,
      });
  });
  // Who may call what: every route declares it, this checks it (access.ts).
  const sessions = new Sessions(opts.store, {
    idleMs: opts.sessionIdleMs,
    secure: () => publicUrl().startsWith('https:'),
  });
  installAccess(app, { store: opts.store, sessions, cliToken: opts.cliToken });
  // Bodies: a schema refusing unknown fields, a file, or none at all (strict.body.ts).
  installStrictBodies(app);
  // JSON API bodies: nesting is refused before a validator or handler recurses through it (the
  // tracking API checks each message itself, with the message's index in the reason).
  app.addHook('preValidation', async (req, reply) => {
    if (req.url.startsWith('/v1/') || !isPlainJson(req.body)) return;
    if (exceedsDepth(req.body)) return reply.code(400).send({ error: `the body is ${DEPTH_REASON}` });
  });
  app.setErrorHandler((err, req, reply) => {
    // The JSON API names its parameters (`to`, `as_of`), not the CLI's flags the engines speak of.
    const api = req.url.startsWith('/api/');
    if (isUserError(err)) {
      const where = api && err.where.field ? { ...err.where, field: apiName(err.where.field) } : err.where;
      return reply.code(err.status).send({ error: api ? apiText(err.message) : err.message, ...where });
    }
    const validation = (err as { validation?: ValidationIssue[] }).validation;
    const context = (err as { validationContext?: string }).validationContext;
    const first = validation?.find((v) => v.keyword === 'additionalProperties') ?? validation?.[0];
    if (first) return reply.code(400).send(describeValidation(first, context, req));
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500)
      return reply.code(status).send({ error: err instanceof Error ? err.message : String(err) });
    logged.add(req);
    req.log.error({ err, route: routeOf(req), status: status ?? 500 }, 'request failed');
    return reply.code(status ?? 500).send({ error: 'internal error', requestId: req.id });
  });
  if (opts.onWrite) {
    const onWrite = opts.onWrite;
    app.addHook('onResponse', async (req, reply) => {
      if (req.method !== 'GET' && req.url.startsWith('/api/v1/') && reply.statusCode < 300) onWrite();
    });
  }
  // A 5xx a handler sent itself (not thrown) is logged too, once.
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500 && !logged.has(req))
      req.log.error({ route: routeOf(req), status: reply.statusCode }, 'request answered with an error');
  });
  // The OpenAPI description is generated from every route's schema (served at /api/docs).
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Northstar API',
        version: '0.1.0',
        description: 'Tracking (Segment-compatible, /v1) and the JSON API (/api/v1, read key as Bearer).',
      },
      components: {
        securitySchemes: {
          readKey: { type: 'http', scheme: 'bearer' },
          writeKey: { type: 'http', scheme: 'basic' },
        },
      },
    },
    hideUntagged: false,
  });
  // Every route gets its summary, tag and error answers from one list (route.docs.ts).
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (url.startsWith('/api/docs')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const doc = ROUTE_DOCS[`${method} ${url}`];
      if (!doc) {
        undocumented.add(`${method} ${url}`);
        continue;
      }
      const schema = { ...(route.schema ?? {}) } as Record<string, unknown>;
      schema.summary ??= doc.summary;
      schema.tags ??= [doc.tag];
      if (doc.hide) schema.hide = true;
      schema.response = { ...errorResponses(doc), ...((schema.response as object | undefined) ?? {}) };
      route.schema = schema;
    }
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  // INTERFACE.md: `/api/docs` is the OpenAPI description. Scripts (curl's */*, JSON) get it there;
  // a browser asking for HTML gets the browsable page (also at /api/docs/static/index.html).
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || (req.url !== '/api/docs' && req.url !== '/api/docs/')) return;
    if (/text\/html/.test(String(req.headers.accept ?? ''))) return;
    return reply.type('application/json').send(app.swagger());
  });
  await app.register(healthRoutes);
  await app.register(faviconRoutes);
  await app.register(homeRoutes());
  await app.register(authRoutes(opts.store, sessions));
  await app.register(kpiRoutes(opts.store));
  await app.register(exportRoutes(opts.store));
  await app.register(goalsRoutes(opts.store));
  await app.register(attributionRoutes(opts.store, { maxUploadBytes: opts.maxUploadBytes }));
  await app.register(planRoutes(opts.store));
  await app.register(importRoutes(opts.store, { maxUploadBytes: opts.maxUploadBytes }));
  await app.register(scoreRoutes(opts.store));
  await app.register(adminRoutes(opts.store, opts.dataDir));
  await app.register(channelsRoutes(opts.store));
  await app.register(shareRoutes(opts.store));
  await app.register(reportRoutes(opts.store));
  const tracker = new Tracker(opts.store, { log: app.log });
  const limits = new RateLimiter(opts.trackRate ?? trackRateFromEnv());
  const usage = new KeyUsage(
    (key, at) => opts.store.touchApiKey(key, at),
    (e) => app.log.warn({ err: e }, 'could not note when a key was last used'),
  );
  await app.register(trackRoutes(opts.store, tracker, publicUrl, limits, usage));
  await app.register(sdkRoutes());
  // Acknowledged events are durable already; this writes what arrived but was not yet answered.
  app.addHook('onClose', async () => tracker.drain());
  return app;
}

/** A parsed JSON value to walk: an array or a plain object, not an upload's stream. */
function isPlainJson(body: unknown): boolean {
  if (Array.isArray(body)) return true;
  if (typeof body !== 'object' || body === null) return false;
  const proto = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}

/** `POST /v1/:kind` (the route as declared), else the path without its query. */
function routeOf(req: FastifyRequest): string {
  return `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
}

/** `--as-of` → `as_of`. */
function apiName(flag: string): string {
  return flag.replace(/^--/, '').replaceAll('-', '_');
}

/** Every `--flag` in a message as the API parameter it is there. */
function apiText(message: string): string {
  return message.replace(/(^|[\s(`])--([a-z][a-z-]*)/g, (_, pre: string, f: string) => `${pre}${apiName(f)}`);
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * One schema violation in words, naming the parameter and what it got:
 * `from: expected YYYY-MM-DD, got "2026/10/01"`.
 */
function describeValidation(v: ValidationIssue, context: string | undefined, req: FastifyRequest) {
  const missing = typeof v.params.missingProperty === 'string' ? v.params.missingProperty : null;
  const field = missing ?? v.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const source = (context === 'querystring' ? req.query : context === 'params' ? req.params : req.body) as
    | Record<string, unknown>
    | undefined;
  const got = field && source && typeof source === 'object' ? source[field.split('.')[0] ?? ''] : undefined;
  const shown = got === undefined ? '' : `, got ${JSON.stringify(got).slice(0, 60)}`;
  const where = context === 'body' ? 'the body' : 'the request';
  let error: string;
  if (missing) error = `${missing} is required`;
  else if (v.keyword === 'pattern' && String(v.params.pattern).includes('\\d{4}-'))
    error = `${field}: expected a date YYYY-MM-DD${shown}`;
  else if (v.keyword === 'enum')
    error = `${field}: expected one of ${(v.params.allowedValues as unknown[]).join(', ')}${shown}`;
  else if (v.keyword === 'type') error = `${field || where}: expected ${String(v.params.type)}${shown}`;
  else if (v.keyword === 'additionalProperties')
    error = `${field || where}: unknown field "${String(v.params.additionalProperty)}"`;
  else error = `${field || where}: ${v.message ?? 'is invalid'}${shown}`;
  return { error, ...(field ? { field } : {}) };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Whether a Host header names this server: a loopback name, or the host of --public-url. The port is
 * not compared (a proxy may change it). A request without Host (HTTP/1.0) is allowed: no browser
 * sends one.
 */
export function hostAllowed(host: string | undefined, configured: string | null): boolean {
  if (!host) return true;
  const name = (
    host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '')
  ).toLowerCase();
  return LOOPBACK.has(name) || name.endsWith('.localhost') || name === configured;
}
