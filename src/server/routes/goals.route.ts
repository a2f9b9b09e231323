import type { FastifyInstance } from 'fastify';
import { UserError } from '../../core/errors.js';
import { parseDate, today } from '../../core/time.js';
import { addCheckin, checkinJson } from '../../goals/checkins.js';
import { PlanFileError, parseDraftPlan } from '../../goals/plan.yaml.js';
import { lintPlan, lintStored } from '../../goals/smart.js';
import { goalsStatus } from '../../goals/status.js';
import type { Store } from '../../store/store.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

function planErrorBody(e: PlanFileError) {
  return { error: e.message, file: e.file, problems: e.problems };
}

/**
 * `GET /api/v1/goals` (the tree with progress and status), `GET|POST /api/v1/goals/lint` (SMART check
 * of the stored tree, or of a YAML plan in the body), `GET|POST /api/v1/goals/{id}/checkins`.
 */
export function goalsRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    // Plans are posted as YAML; the parser is scoped to these routes.
    app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get<{ Querystring: { as_of?: string } }>(
      '/api/v1/goals',
      {
        config: { access: 'viewer' },
        schema: { querystring: { type: 'object', properties: { as_of: { type: 'string' } } } },
      },
      async (req, _reply) => {
        const w = req.access.workspace;
        const ws = store.forWorkspace(w);
        const now = today(w.timezone);
        const asOf = req.query.as_of === undefined ? now : parseDate(req.query.as_of, 'as_of');
        const report = await goalsStatus(ws, asOf);
        // A read only reads: status changes are recorded and alerted by the server's schedule
        // (goals/status.job.ts), never because someone looked.
        return { as_of: report.as_of, goals: report.tree, objectives: report.objectives };
      },
    );

    app.get('/api/v1/goals/lint', { config: { access: 'viewer' } }, async (req, _reply) => {
      const w = req.access.workspace;
      return lintStored(store.forWorkspace(w));
    });

    app.post<{ Body: unknown }>(
      '/api/v1/goals/lint',
      { config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        const body = req.body;
        const text =
          typeof body === 'string'
            ? body
            : body && typeof body === 'object' && typeof (body as { yaml?: unknown }).yaml === 'string'
              ? (body as { yaml: string }).yaml
              : null;
        if (text === null)
          throw new UserError(
            'post the plan as YAML (Content-Type: application/yaml) or as JSON {"yaml": "…"}',
          );
        try {
          return await lintPlan(store.forWorkspace(w), parseDraftPlan(text, 'plan.yaml'));
        } catch (e) {
          if (e instanceof PlanFileError) return reply.code(400).send(planErrorBody(e));
          throw e;
        }
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/goals/:id/checkins',
      { config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        const ws = store.forWorkspace(w);
        const exists = (await ws.listGoals()).some((g) => g.id === req.params.id && g.kind === 'objective');
        if (!exists) return reply.code(404).send({ error: `objective "${req.params.id}" not found` });
        return { checkins: (await ws.listCheckins(req.params.id)).map(checkinJson) };
      },
    );

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
        const row = await addCheckin(store.forWorkspace(w), {
          objectiveId: req.params.id,
          note: req.body.note,
          confidence: req.body.confidence ?? null,
          author: req.body.author,
        });
        return reply.code(201).send(checkinJson(row));
      },
    );
  };
}
