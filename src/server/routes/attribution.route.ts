import type { FastifyInstance } from 'fastify';
import { MODEL_IDS, type ModelId } from '../../attribution/types.js';
import { attributeAllModels, attributeWorkspace } from '../../attribution/workspace.attribution.js';
import { CONVERSIONS, type Conversion } from '../../attribution/workspace.journeys.js';
import { addDays, today } from '../../core/time.js';
import type { Store } from '../../store/store.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** `GET /api/v1/attribution?model=&conversion=&lookback=&by=&from=&to=`: as `northstar attribution --format json`. */
export function attributionRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{
      Querystring: {
        model: string;
        conversion?: Conversion;
        lookback?: number;
        by?: 'channel' | 'campaign';
        from?: string;
        to?: string;
        order?: number;
        nulls?: 'include' | 'exclude';
        account?: boolean;
      };
    }>(
      '/api/v1/attribution',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: {
            type: 'object',
            required: ['model'],
            properties: {
              model: { type: 'string', enum: [...MODEL_IDS, 'all'] },
              conversion: { type: 'string', enum: [...CONVERSIONS] },
              lookback: { type: 'integer', minimum: 0, maximum: 3650 },
              by: { type: 'string', enum: ['channel', 'campaign'] },
              from: date,
              to: date,
              order: { type: 'integer', minimum: 1, maximum: 4 },
              nulls: { type: 'string', enum: ['include', 'exclude'] },
              account: { type: 'boolean' },
            },
          },
        },
      },
      async (req, _reply) => {
        const w = req.access.workspace;
        const ws = store.forWorkspace(w);
        const q = req.query;
        const to = q.to ?? today(w.timezone);
        const o = {
          conversion: q.conversion,
          lookbackDays: q.lookback,
          by: q.by,
          from: q.from ?? addDays(to, -364),
          to,
          order: q.order,
          nulls: q.nulls,
          account: q.account,
        };
        return q.model === 'all' ? attributeAllModels(ws, o) : attributeWorkspace(ws, q.model as ModelId, o);
      },
    );
  };
}
