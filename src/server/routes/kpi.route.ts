import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Workspace } from '../../domain/workspace.js';
import { KPI_BY_ID, KPI_CATALOG } from '../../metrics/kpi.catalog.js';
import { runKpi, unknownKpi } from '../../metrics/kpi.query.js';
import { BREAKDOWNS, type Breakdown } from '../../metrics/measures.js';
import { GRAINS, type Grain } from '../../metrics/periods.js';
import type { Store } from '../../store/store.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** A KPI query's parameters, shared by its JSON route and its CSV export. */
export const kpiQuerySchema = {
  type: 'object',
  required: ['from', 'to'],
  properties: {
    from: date,
    to: date,
    grain: { type: 'string', enum: [...GRAINS] },
    by: { type: 'string', enum: [...BREAKDOWNS] },
  },
};

/** `GET /api/v1/kpis` (the catalog) and `GET /api/v1/kpis/{id}` (values, as `northstar kpi … --format json`). */
export function kpiRoutes(store: Store) {
  const workspaces = new WeakMap<FastifyRequest, Workspace>();
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/kpis', { config: { access: 'viewer' } }, async (req, _reply) => {
      const w = req.access.workspace;
      const custom = await store.forWorkspace(w).listCustomKpis();
      return {
        kpis: [
          ...KPI_CATALOG.map((d) => ({
            id: d.id,
            name: d.name,
            family: d.family,
            unit: d.unit,
            direction: d.direction,
            formula: d.formula,
            definition: d.definition,
          })),
          ...custom.map((c) => ({
            id: c.id,
            name: c.name,
            family: 'custom',
            unit: c.unit,
            direction: c.direction,
            formula: c.formula,
            definition: c.description ?? c.formula,
          })),
        ],
      };
    });
    app.get<{
      Params: { id: string };
      Querystring: { from: string; to: string; grain?: Grain; by?: Breakdown };
    }>(
      '/api/v1/kpis/:id',
      {
        config: { access: 'viewer' },
        // Before the query string is validated: an unknown KPI is the first thing to hear about, with
        // the id meant, not that `from` is missing.
        preValidation: async (req, _reply) => {
          const w = req.access.workspace;
          const custom = await store.forWorkspace(w).listCustomKpis();
          if (!KPI_BY_ID.has(req.params.id) && !custom.some((c) => c.id === req.params.id))
            throw unknownKpi(req.params.id, custom);
          workspaces.set(req, w);
        },
        schema: {
          querystring: kpiQuerySchema,
        },
      },
      async (req, reply) => {
        const w = workspaces.get(req);
        if (!w) return reply;
        const { from, to, grain, by } = req.query;
        return runKpi(store.forWorkspace(w), { kpi: req.params.id, from, to, grain, by });
      },
    );
  };
}
