import type { FastifyInstance } from 'fastify';
import { UserError } from '../../core/errors.js';
import { addDays, parseDate, today } from '../../core/time.js';
import { PlanFileError } from '../../goals/plan.yaml.js';
import { explainContact } from '../../scoring/explain.js';
import { recomputeScores } from '../../scoring/recompute.js';
import { slaReport, topScores } from '../../scoring/report.js';
import { applyRulesText, exportRules, lintRulesText } from '../../scoring/rules.apply.js';
import type { Store } from '../../store/store.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

function yamlBody(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && typeof (body as { yaml?: unknown }).yaml === 'string')
    return (body as { yaml: string }).yaml;
  throw new UserError('post the rules as YAML (Content-Type: application/yaml) or as JSON {"yaml": "…"}');
}

/**
 * Lead scoring over the JSON API (docs/scoring.md): `GET|PUT /api/v1/scoring/rules`,
 * `POST /api/v1/scoring/rules/lint`, `POST /api/v1/scoring/recompute`, `GET /api/v1/scoring/top`,
 * `GET /api/v1/scoring/contacts/{id or e-mail}`, `GET /api/v1/scoring/sla`. Reads take a read key,
 * changes a write key.
 */
export function scoreRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get('/api/v1/scoring/rules', { config: { access: 'viewer' } }, async (req, reply) => {
      const w = req.access.workspace;
      const ws = store.forWorkspace(w);
      const yaml = await exportRules(ws);
      if (yaml === null) return reply.code(404).send({ error: 'this workspace has no scoring rules yet' });
      const stored = await ws.getScoringRules();
      return { yaml, rules: stored?.rules, updated_at: stored?.updatedAt.toISOString() };
    });

    app.put<{ Body: unknown }>(
      '/api/v1/scoring/rules',
      { config: { access: 'editor' } },
      async (req, reply) => {
        const w = req.access.workspace;
        try {
          return await applyRulesText(store.forWorkspace(w), yamlBody(req.body), 'scoring.yaml', 'api');
        } catch (e) {
          if (e instanceof PlanFileError)
            return reply.code(400).send({ error: e.message, file: e.file, problems: e.problems });
          throw e;
        }
      },
    );

    app.post<{ Body: unknown }>(
      '/api/v1/scoring/rules/lint',
      { config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        try {
          const rules = await lintRulesText(store.forWorkspace(w), yamlBody(req.body), 'scoring.yaml');
          return { ok: true, models: rules.models.map((m) => m.id) };
        } catch (e) {
          if (e instanceof PlanFileError)
            return reply.code(400).send({ error: e.message, file: e.file, problems: e.problems });
          throw e;
        }
      },
    );

    app.post('/api/v1/scoring/recompute', { config: { access: 'editor' } }, async (req, _reply) => {
      const w = req.access.workspace;
      return recomputeScores(store.forWorkspace(w));
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
      async (req, _reply) => {
        const w = req.access.workspace;
        return topScores(store.forWorkspace(w), { model: req.query.model, limit: req.query.limit });
      },
    );

    app.get<{ Params: { contact: string } }>(
      '/api/v1/scoring/contacts/:contact',
      { config: { access: 'viewer' } },
      async (req, _reply) => {
        const w = req.access.workspace;
        return explainContact(store.forWorkspace(w), req.params.contact);
      },
    );

    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/api/v1/scoring/sla',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
        },
      },
      async (req, _reply) => {
        const w = req.access.workspace;
        const to = req.query.to === undefined ? today(w.timezone) : parseDate(req.query.to, 'to');
        const from = req.query.from === undefined ? addDays(to, -89) : parseDate(req.query.from, 'from');
        return slaReport(store.forWorkspace(w), from, to);
      },
    );
  };
}
