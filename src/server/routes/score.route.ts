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
import { actorOf } from '../access.js';
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

    app.get('/api/v1/scoring/rules', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      const ws = store.forWorkspace(w);
      const { yaml } = await exportScoringRules(ws);
      const stored = await ws.getScoringRules();
      return { yaml, rules: stored?.rules, updated_at: stored?.updatedAt.toISOString() };
    });

    app.put('/api/v1/scoring/rules', { config: { access: 'editor' } }, async (req, reply) => {
      const w = req.access.workspace;
      const rules = await planOf(req, 'scoring.yaml');
      return withPlanProblems(reply, () =>
        applyScoringRules(store.forWorkspace(w), rules, actorOf(req.access)),
      );
    });

    app.post('/api/v1/scoring/rules/lint', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      const rules = await planOf(req, 'scoring.yaml');
      return withPlanProblems(reply, () => lintScoringRules(store.forWorkspace(w), rules));
    });

    app.post('/api/v1/scoring/recompute', { config: { access: 'editor' } }, async (req, reply) => {
      const w = req.access.workspace;
      return recompute(store.forWorkspace(w));
    });

    app.get<{ Querystring: { model?: string; limit?: number } }>(
      '/api/v1/scoring/top',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: {
            type: 'object',
            properties: { model: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 10000 } },
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        return topScoring(store.forWorkspace(w), req.query);
      },
    );

    app.get<{ Params: { contact: string } }>(
      '/api/v1/scoring/contacts/:contact',
      { config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        return explain(store.forWorkspace(w), { contact: req.params.contact });
      },
    );

    app.get<{ Querystring: { from?: string; to?: string; breaches?: boolean } }>(
      '/api/v1/scoring/sla',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: {
            type: 'object',
            properties: { from: { type: 'string' }, to: { type: 'string' }, breaches: { type: 'boolean' } },
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        return sla(store.forWorkspace(w), req.query);
      },
    );
  };
}
