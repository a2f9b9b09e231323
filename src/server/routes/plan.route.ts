/**
 * `GET /api/v1/plan/target|funnel|review|roadmap`: the same JSON as `northstar plan … --format json`, for
 * a read key. (A route plugin: it belongs with the server's routes and only lives here until it is wired.)
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { reverseFunnel, review, roadmap, roadmapPlan, target } from '../../usecases/planning.usecase.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const year = { type: 'integer', minimum: 1900, maximum: 9999 };

/**
 * The planning API.
 *
 * @example
 * await app.register(planRoutes(store));
 * // GET /api/v1/plan/funnel?growth=10&segment=EMEA&rate=mql_to_sql=0.4
 */
export function planRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { year?: number; uplift?: number; as_of?: string } }>(
      '/api/v1/plan/target',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: {
            type: 'object',
            properties: { year, uplift: { type: 'number' }, as_of: date },
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        const q = req.query;
        return target(store.forWorkspace(w), { year: q.year, uplift: q.uplift, asOf: q.as_of });
      },
    );

    app.get<{
      Querystring: {
        revenue?: number;
        growth?: number;
        segment?: string;
        avg_revenue?: number;
        rate?: string[];
        shift?: number;
        as_of?: string;
      };
    }>(
      '/api/v1/plan/funnel',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: {
            type: 'object',
            properties: {
              revenue: { type: 'number' },
              growth: { type: 'number' },
              segment: { type: 'string' },
              avg_revenue: { type: 'number' },
              rate: { type: 'array', items: { type: 'string' } },
              shift: { type: 'number' },
              as_of: date,
            },
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        const q = req.query;
        return reverseFunnel(store.forWorkspace(w), {
          revenue: q.revenue,
          growth: q.growth,
          segment: q.segment,
          avgRevenue: q.avg_revenue,
          rates: q.rate,
          shift: q.shift,
          asOf: q.as_of,
        });
      },
    );

    app.get<{ Querystring: { year?: number; as_of?: string } }>(
      '/api/v1/plan/review',
      {
        config: { access: 'viewer' },
        schema: { querystring: { type: 'object', properties: { year, as_of: date } } },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        return review(store.forWorkspace(w), { year: req.query.year, asOf: req.query.as_of });
      },
    );

    const roadmapQuery = {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            year,
            quarter: { type: 'integer', minimum: 1, maximum: 4 },
            owner: { type: 'string' },
            as_of: date,
          },
        },
      },
    };
    type RoadmapQuery = { Querystring: { year?: number; quarter?: number; owner?: string; as_of?: string } };
    app.get<RoadmapQuery>(
      '/api/v1/plan/roadmap',
      { ...roadmapQuery, config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        const { as_of, ...q } = req.query;
        return roadmap(store.forWorkspace(w), { ...q, asOf: as_of });
      },
    );
    // The drafted objectives as a goal plan (what `plan roadmap --out FILE` writes), under `yaml`.
    app.get<RoadmapQuery>(
      '/api/v1/plan/roadmap/plan',
      { ...roadmapQuery, config: { access: 'viewer' } },
      async (req, reply) => {
        const w = req.access.workspace;
        const { as_of, ...q } = req.query;
        return roadmapPlan(store.forWorkspace(w), { ...q, asOf: as_of });
      },
    );
  };
}
