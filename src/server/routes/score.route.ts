import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import {
  applyScoringRules,
  explain,
  exportScoringRules,
  lintScoringRules,
  recompute,
  sla,
  topScoring,
} from '../../usecases/scoring.usecase.js';
import { actorOf, readAccess, writeAccess } from '../auth.js';
import { acceptTextFiles, planOf, withPlanProblems } from '../text.upload.js';

/**
 * Lead scoring over the JSON API (docs/scoring.md): `GET|PUT /api/v1/scoring/rules`,
 * `POST /api/v1/scoring/rules/lint`, `POST /api/v1/scoring/recompute`, `GET /api/v1/scoring/top`,
 * `GET /api/v1/scoring/contacts/{id or e-mail}`, `GET /api/v1/scoring/sla`. Reads take a read key,
 * changes a write key; a rules file comes as YAML, `{"yaml": "…"}` or a multipart `file`.
 */
export function scoreRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    await acceptTextFiles(app);

    app.get('/api/v1/scoring/rules', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      const ws = store.forWorkspace(w);
      const { yaml } = await exportScoringRules(ws);
      const stored = await ws.getScoringRules();
      return { yaml, rules: stored?.rules, updated_at: stored?.updatedAt.toISOString() };
    });

    app.put('/api/v1/scoring/rules', async (req, reply) => {
      const w = await writeAccess(store, req, reply);
      if (!w) return reply;
      const rules = await planOf(req, 'scoring.yaml');
      return withPlanProblems(reply, () =>
        applyScoringRules(store.forWorkspace(w), rules, actorOf(store, req)),
      );
    });

    app.post('/api/v1/scoring/rules/lint', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      const rules = await planOf(req, 'scoring.yaml');
      return withPlanProblems(reply, () => lintScoringRules(store.forWorkspace(w), rules));
    });

    app.post('/api/v1/scoring/recompute', async (req, reply) => {
      const w = await writeAccess(store, req, reply);
      if (!w) return reply;
      return recompute(store.forWorkspace(w));
    });

    app.get<{ Querystring: { model?: string; limit?: number } }>(
      '/api/v1/scoring/top',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { model: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 10000 } },
          },
        },
      },
      async (req, reply) => {
        const w = await readAccess(store, req, reply);
        if (!w) return reply;
        return topScoring(store.forWorkspace(w), req.query);
      },
    );

    app.get<{ Params: { contact: string } }>('/api/v1/scoring/contacts/:contact', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return explain(store.forWorkspace(w), { contact: req.params.contact });
    });

    app.get<{ Querystring: { from?: string; to?: string; breaches?: boolean } }>(
      '/api/v1/scoring/sla',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { from: { type: 'string' }, to: { type: 'string' }, breaches: { type: 'boolean' } },
          },
        },
      },
      async (req, reply) => {
        const w = await readAccess(store, req, reply);
        if (!w) return reply;
        return sla(store.forWorkspace(w), req.query);
      },
    );
  };
}
