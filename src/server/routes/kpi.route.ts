import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Workspace } from '../../domain/workspace.js';
import { BREAKDOWNS } from '../../metrics/measures.js';
import { GRAINS } from '../../metrics/periods.js';
import type { Store } from '../../store/store.js';
import { defineKpi, funnel, listKpis, queryKpi, requireKpi } from '../../usecases/kpis.usecase.js';
import { actorOf, readAccess, writeAccess } from '../auth.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/**
 * `GET /api/v1/kpis` (the catalog), `GET /api/v1/kpis/{id}` (values, as `northstar kpi … --format
 * json`), `PUT /api/v1/kpis/{id}` (define the workspace's own, as `kpi define`) and `GET
 * /api/v1/funnel` (as `northstar funnel`).
 */
export function kpiRoutes(store: Store) {
  const workspaces = new WeakMap<FastifyRequest, Workspace>();
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/kpis', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return listKpis(store.forWorkspace(w));
    });
    app.get<{
      Params: { id: string };
      Querystring: { from: string; to: string; grain?: string; by?: string };
    }>(
      '/api/v1/kpis/:id',
      {
        // Before the query string is validated: an unknown KPI is the first thing to hear about, with
        // the id meant, not that `from` is missing.
        preValidation: async (req, reply) => {
          const w = await readAccess(store, req, reply);
          if (!w) return reply;
          await requireKpi(store.forWorkspace(w), req.params.id);
          workspaces.set(req, w);
        },
        schema: {
          querystring: {
            type: 'object',
            required: ['from', 'to'],
            properties: {
              from: date,
              to: date,
              grain: { type: 'string', enum: [...GRAINS] },
              by: { type: 'string', enum: [...BREAKDOWNS] },
            },
          },
        },
      },
      async (req, reply) => {
        const w = workspaces.get(req);
        if (!w) return reply;
        return queryKpi(store.forWorkspace(w), { kpi: req.params.id, ...req.query });
      },
    );
    app.put<{
      Params: { id: string };
      Body: { formula: string; name?: string; unit?: string; direction?: string; description?: string };
    }>(
      '/api/v1/kpis/:id',
      {
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
        const w = await writeAccess(store, req, reply);
        if (!w) return reply;
        return defineKpi(store.forWorkspace(w), { id: req.params.id, ...req.body }, actorOf(store, req));
      },
    );
    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/api/v1/funnel',
      { schema: { querystring: { type: 'object', properties: { from: date, to: date } } } },
      async (req, reply) => {
        const w = await readAccess(store, req, reply);
        if (!w) return reply;
        return funnel(store.forWorkspace(w), req.query);
      },
    );
  };
}
