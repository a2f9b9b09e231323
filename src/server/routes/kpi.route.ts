import type { FastifyInstance } from 'fastify';
import { BREAKDOWNS } from '../../metrics/measures.js';
import { GRAINS } from '../../metrics/periods.js';
import type { Store } from '../../store/store.js';
import {
  defineKpi,
  funnel,
  knownMarkets,
  listKpis,
  queryKpi,
  requireKpi,
} from '../../usecases/kpis.usecase.js';
import { actorOf } from '../access.js';
import { freshIfAsked } from '../fresh.js';

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
    market: { type: 'string', maxLength: 200 },
  },
};

/**
 * `GET /api/v1/kpis` (the catalog), `GET /api/v1/kpis/{id}` (values, as `northstar kpi … --format
 * json`), `PUT /api/v1/kpis/{id}` (define the workspace's own, as `kpi define`) and `GET
 * /api/v1/funnel` (as `northstar funnel`).
 */
export function kpiRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/kpis', { config: { access: 'viewer', share: true } }, async (req, reply) => {
      const w = req.access.workspace;
      return listKpis(store.forWorkspace(w));
    });
    app.get<{
      Params: { id: string };
      Querystring: { from: string; to: string; grain?: string; by?: string; market?: string };
    }>(
      '/api/v1/kpis/:id',
      {
        config: { access: 'viewer', share: true },
        // Before the query string is validated: an unknown KPI is the first thing to hear about, with
        // the id meant, not that `from` is missing.
        preValidation: async (req) => {
          await requireKpi(store.forWorkspace(req.access.workspace), req.params.id);
        },
        schema: { querystring: kpiQuerySchema },
      },
      async (req) =>
        freshIfAsked(req, () =>
          queryKpi(store.forWorkspace(req.access.workspace), { kpi: req.params.id, ...req.query }),
        ),
    );
    app.get('/api/v1/markets', { config: { access: 'viewer' } }, async (req) =>
      knownMarkets(store.forWorkspace(req.access.workspace)),
    );
    app.put<{
      Params: { id: string };
      Body: { formula: string; name?: string; unit?: string; direction?: string; description?: string };
    }>(
      '/api/v1/kpis/:id',
      {
        config: { access: 'editor' },
        schema: {
          body: {
            type: 'object',
            required: ['formula'],
            properties: {
              formula: { type: 'string' },
              name: { type: 'string' },
              unit: { type: 'string' },
              direction: { type: 'string' },
              description: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        return defineKpi(store.forWorkspace(w), { id: req.params.id, ...req.body }, actorOf(req.access));
      },
    );
    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/api/v1/funnel',
      {
        config: { access: 'viewer' },
        schema: { querystring: { type: 'object', properties: { from: date, to: date } } },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        return funnel(store.forWorkspace(w), req.query);
      },
    );
  };
}
