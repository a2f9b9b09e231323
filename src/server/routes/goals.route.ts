import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import {
  applyGoals,
  checkGoalStatuses,
  checkin,
  checkins,
  exportGoals,
  goalsStatusOf,
  goalsTree,
  isObjective,
  lintGoals,
  webhooks,
} from '../../usecases/goals.usecase.js';
import { actorOf, adminAccess, readAccess, writeAccess } from '../auth.js';
import { acceptTextFiles, planOf, withPlanProblems } from '../text.upload.js';

const asOf = { schema: { querystring: { type: 'object', properties: { as_of: { type: 'string' } } } } };

/**
 * `GET /api/v1/goals` (the tree with progress and status), `GET /api/v1/goals/status` (as `goals
 * status`), `PUT /api/v1/goals` (apply a plan), `GET /api/v1/goals/export`, `GET|POST
 * /api/v1/goals/lint`, `GET|POST /api/v1/goals/{id}/checkins`, `GET /api/v1/checkins`, `POST
 * /api/v1/goals/check`, `GET|POST|DELETE /api/v1/goals/webhooks`.
 */
export function goalsRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    // Plans are posted as YAML or a multipart upload; the parsers are scoped to these routes.
    await acceptTextFiles(app);

    app.get<{ Querystring: { as_of?: string } }>('/api/v1/goals', asOf, async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return goalsTree(store.forWorkspace(w), { asOf: req.query.as_of });
    });

    app.get<{ Querystring: { as_of?: string } }>('/api/v1/goals/status', asOf, async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return goalsStatusOf(store.forWorkspace(w), { asOf: req.query.as_of });
    });

    app.put('/api/v1/goals', async (req, reply) => {
      const w = await writeAccess(store, req, reply);
      if (!w) return reply;
      const plan = await planOf(req, 'plan.yaml');
      return withPlanProblems(reply, () => applyGoals(store.forWorkspace(w), plan, actorOf(store, req)));
    });

    app.get('/api/v1/goals/export', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return exportGoals(store.forWorkspace(w));
    });

    app.get('/api/v1/goals/lint', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return lintGoals(store.forWorkspace(w), null);
    });

    app.post('/api/v1/goals/lint', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      const plan = await planOf(req, 'plan.yaml');
      return withPlanProblems(reply, () => lintGoals(store.forWorkspace(w), plan));
    });

    app.post('/api/v1/goals/check', async (req, reply) => {
      if (!(await adminAccess(store, req, reply))) return reply;
      return checkGoalStatuses(store);
    });

    app.get<{ Params: { id: string } }>('/api/v1/goals/:id/checkins', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      const ws = store.forWorkspace(w);
      if (!(await isObjective(ws, req.params.id)))
        return reply.code(404).send({ error: `objective "${req.params.id}" not found` });
      return checkins(ws, { objective: req.params.id });
    });

    app.get('/api/v1/checkins', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return checkins(store.forWorkspace(w), {});
    });

    app.post<{ Params: { id: string }; Body: { note: string; confidence?: number | null; author?: string } }>(
      '/api/v1/goals/:id/checkins',
      {
        schema: {
          body: {
            type: 'object',
            required: ['note'],
            properties: {
              note: { type: 'string', minLength: 1 },
              confidence: { type: ['number', 'null'], minimum: 0, maximum: 1 },
              author: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => {
        const w = await writeAccess(store, req, reply);
        if (!w) return reply;
        const row = await checkin(store.forWorkspace(w), { objective: req.params.id, ...req.body });
        return reply.code(201).send(row);
      },
    );

    app.get('/api/v1/goals/webhooks', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return webhooks(store.forWorkspace(w), {}, actorOf(store, req));
    });

    const url = {
      schema: { body: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } } },
    };
    app.post<{ Body: { url: string } }>('/api/v1/goals/webhooks', url, async (req, reply) => {
      const w = await writeAccess(store, req, reply);
      if (!w) return reply;
      return webhooks(store.forWorkspace(w), { add: req.body.url }, actorOf(store, req));
    });
    app.delete<{ Body: { url: string } }>('/api/v1/goals/webhooks', url, async (req, reply) => {
      const w = await writeAccess(store, req, reply);
      if (!w) return reply;
      return webhooks(store.forWorkspace(w), { remove: req.body.url }, actorOf(store, req));
    });
  };
}
