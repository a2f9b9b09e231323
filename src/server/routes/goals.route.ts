import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import {
  applyGoals,
  checkGoalStatuses,
  checkin,
  checkins,
  exportGoals,
  goalsOverview,
  goalsStatusOf,
  goalsTree,
  isObjective,
  lintGoals,
  webhooks,
} from '../../usecases/goals.usecase.js';
import { EDITABLE, getObjective, updateObjective } from '../../usecases/objectives.usecase.js';
import { actorOf } from '../access.js';
import { freshIfAsked } from '../fresh.js';
import { acceptTextFiles, planOf, withPlanProblems } from '../text.upload.js';

const asOf = { schema: { querystring: { type: 'object', properties: { as_of: { type: 'string' } } } } };

/**
 * `GET /api/v1/goals` (the tree with progress and status), `GET /api/v1/goals/status` (as `goals
 * status`), `PUT /api/v1/goals` (apply a plan), `GET /api/v1/goals/export`, `GET|POST
 * /api/v1/goals/lint`, `GET|PATCH /api/v1/goals/objectives/{id}`, `GET|POST /api/v1/goals/{id}/checkins`, `GET /api/v1/checkins`, `POST
 * /api/v1/goals/check`, `GET|POST|DELETE /api/v1/goals/webhooks`.
 */
export function goalsRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    // Plans are posted as YAML or a multipart upload; the parsers are scoped to these routes.
    await acceptTextFiles(app);

    app.get<{ Querystring: { as_of?: string } }>(
      '/api/v1/goals',
      { ...asOf, config: { access: 'viewer', share: true } },
      async (req, reply) => {
        const w = req.access.workspace;
        return freshIfAsked(req, () => goalsTree(store.forWorkspace(w), { asOf: req.query.as_of }));
      },
    );

    app.get<{ Querystring: { as_of?: string; from?: string; points?: number } }>(
      '/api/v1/goals/overview',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { as_of: { type: 'string' }, from: { type: 'string' }, points: { type: 'integer' } },
          },
        },
        config: { access: 'viewer' },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        const q = req.query;
        return freshIfAsked(req, () =>
          goalsOverview(store.forWorkspace(w), { asOf: q.as_of, from: q.from, points: q.points }),
        );
      },
    );

    app.get<{ Querystring: { as_of?: string } }>(
      '/api/v1/goals/status',
      { ...asOf, config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        return goalsStatusOf(store.forWorkspace(w), { asOf: req.query.as_of });
      },
    );

    app.put('/api/v1/goals', { config: { access: 'editor', body: 'file' } }, async (req, reply) => {
      const w = req.access.workspace;
      const plan = await planOf(req, 'plan.yaml');
      return withPlanProblems(reply, () => applyGoals(store.forWorkspace(w), plan, actorOf(req.access)));
    });

    app.get('/api/v1/goals/export', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      return exportGoals(store.forWorkspace(w));
    });

    app.get('/api/v1/goals/lint', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      return lintGoals(store.forWorkspace(w), null);
    });

    app.post('/api/v1/goals/lint', { config: { access: 'viewer', body: 'file' } }, async (req, reply) => {
      const w = req.access.workspace;
      const plan = await planOf(req, 'plan.yaml');
      return withPlanProblems(reply, () => lintGoals(store.forWorkspace(w), plan));
    });

    app.get<{ Params: { id: string } }>(
      '/api/v1/goals/objectives/:id',
      { config: { access: 'viewer' } },
      async (req) => getObjective(store.forWorkspace(req.access.workspace), req.params.id),
    );

    const field = { type: ['string', 'number', 'null'], maxLength: 10_000 };
    app.patch<{ Params: { id: string }; Body: Record<string, string | number | null> }>(
      '/api/v1/goals/objectives/:id',
      {
        config: { access: 'editor' },
        schema: {
          body: {
            type: 'object',
            minProperties: 1,
            properties: Object.fromEntries(EDITABLE.map((k) => [k, field])),
            additionalProperties: false,
          },
        },
      },
      async (req, reply) =>
        withPlanProblems(reply, () =>
          updateObjective(
            store.forWorkspace(req.access.workspace),
            req.params.id,
            req.body,
            actorOf(req.access),
          ),
        ),
    );

    app.post('/api/v1/goals/check', { config: { access: 'local' } }, async (req, reply) => {
      return checkGoalStatuses(store);
    });

    app.get<{ Params: { id: string } }>(
      '/api/v1/goals/:id/checkins',
      { config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        const ws = store.forWorkspace(w);
        if (!(await isObjective(ws, req.params.id)))
          return reply.code(404).send({ error: `objective "${req.params.id}" not found` });
        return checkins(ws, { objective: req.params.id });
      },
    );

    app.get('/api/v1/checkins', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      return checkins(store.forWorkspace(w), {});
    });

    app.post<{ Params: { id: string }; Body: { note: string; confidence?: number | null; author?: string } }>(
      '/api/v1/goals/:id/checkins',
      {
        config: { access: 'editor' },
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
        const w = req.access.workspace;
        // A signed-in user checks in as themselves; tokens and the CLI say who in the body.
        const p = req.access.principal;
        const author = p.kind === 'session' ? p.email : req.body.author;
        const row = await checkin(store.forWorkspace(w), {
          objective: req.params.id,
          ...req.body,
          ...(author === undefined ? {} : { author }),
        });
        return reply.code(201).send(row);
      },
    );

    app.get('/api/v1/goals/webhooks', { config: { access: 'editor' } }, async (req, reply) => {
      const w = req.access.workspace;
      return webhooks(store.forWorkspace(w), {}, actorOf(req.access));
    });

    const url = {
      schema: {
        body: {
          type: 'object',
          required: ['url'],
          properties: { url: { type: 'string', minLength: 1, maxLength: 2048 } },
          additionalProperties: false,
        },
      },
    };
    app.post<{ Body: { url: string } }>(
      '/api/v1/goals/webhooks',
      { ...url, config: { access: 'editor' } },
      async (req, reply) => {
        const w = req.access.workspace;
        return webhooks(store.forWorkspace(w), { add: req.body.url }, actorOf(req.access));
      },
    );
    app.delete<{ Body: { url: string } }>(
      '/api/v1/goals/webhooks',
      { ...url, config: { access: 'editor' } },
      async (req, reply) => {
        const w = req.access.workspace;
        return webhooks(store.forWorkspace(w), { remove: req.body.url }, actorOf(req.access));
      },
    );
  };
}
