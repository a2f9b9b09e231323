import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUserError } from '../core/errors.js';
import { Tracker } from '../ingest/tracker.js';
import type { Store } from '../store/store.js';
import { attributionRoutes } from './routes/attribution.route.js';
import { cliRoutes } from './routes/cli.route.js';
import { goalsRoutes } from './routes/goals.route.js';
import { healthRoutes } from './routes/health.route.js';
import { homeRoutes } from './routes/home.route.js';
import { importRoutes } from './routes/import.route.js';
import { kpiRoutes } from './routes/kpi.route.js';
import { planRoutes } from './routes/plan.route.js';
import { scoreRoutes } from './routes/score.route.js';
import { sdkRoutes } from './routes/sdk.route.js';
import { trackRoutes } from './routes/track.route.js';

export interface AppOptions {
  store: Store;
  dataDir: string;
  /** Token a local CLI presents to run commands in this process; no CLI route without it. */
  cliToken?: string;
  logger?: boolean;
}

/** The one wiring point: every route and its dependencies. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024 });
  app.setErrorHandler((err, _req, reply) => {
    if (isUserError(err)) return reply.code(err.status).send({ error: err.message, ...err.where });
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500)
      return reply.code(status).send({ error: err instanceof Error ? err.message : String(err) });
    app.log.error(err);
    return reply.code(500).send({ error: 'internal error' });
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
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes);
  await app.register(homeRoutes(opts.store));
  await app.register(kpiRoutes(opts.store));
  await app.register(goalsRoutes(opts.store));
  await app.register(attributionRoutes(opts.store));
  await app.register(planRoutes(opts.store));
  await app.register(importRoutes(opts.store));
  await app.register(scoreRoutes(opts.store));
  const tracker = new Tracker(opts.store);
  await app.register(trackRoutes(opts.store, tracker));
  await app.register(sdkRoutes());
  // Acknowledged events are durable already; this writes what arrived but was not yet answered.
  app.addHook('onClose', async () => tracker.drain());
  if (opts.cliToken)
    await app.register(cliRoutes({ store: opts.store, token: opts.cliToken, dataDir: opts.dataDir }));
  return app;
}
