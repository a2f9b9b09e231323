import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { MODEL_IDS } from '../../attribution/types.js';
import { CONVERSIONS } from '../../attribution/workspace.journeys.js';
import { UserError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { pathAttribution, workspaceAttribution } from '../../usecases/attribution.usecase.js';
import { freshIfAsked } from '../fresh.js';
import { MAX_UPLOAD_BYTES } from '../upload.spool.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const model = {
  model: { type: 'string', enum: [...MODEL_IDS, 'all'] },
  order: { type: 'integer', minimum: 1, maximum: 4 },
  nulls: { type: 'string', enum: ['include', 'exclude'] },
  half_life: { type: 'number' },
};

interface ModelQuery {
  model: string;
  order?: number;
  nulls?: 'include' | 'exclude';
  half_life?: number;
}

/**
 * `GET /api/v1/attribution?model=&conversion=&lookback=&by=&from=&to=`: as `northstar attribution
 * --format json`; `POST /api/v1/attribution/paths?model=&sep=`: a path file (multipart `file`),
 * attributed as it streams in, as `northstar attribution --paths FILE`.
 */
export function attributionRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(multipart);
    app.get<{
      Querystring: ModelQuery & {
        conversion?: string;
        lookback?: number;
        by?: 'channel' | 'campaign';
        from?: string;
        to?: string;
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
              ...model,
              conversion: { type: 'string', enum: [...CONVERSIONS] },
              lookback: { type: 'integer', minimum: 0, maximum: 3650 },
              by: { type: 'string', enum: ['channel', 'campaign'] },
              from: date,
              to: date,
              account: { type: 'boolean' },
            },
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        const { half_life, ...q } = req.query;
        return freshIfAsked(req, () =>
          workspaceAttribution(store.forWorkspace(w), { ...q, halfLife: half_life }),
        );
      },
    );

    app.post<{ Querystring: ModelQuery & { sep?: string } }>(
      '/api/v1/attribution/paths',
      {
        config: { access: 'viewer', body: 'file' },
        schema: {
          querystring: {
            type: 'object',
            required: ['model'],
            properties: { ...model, sep: { type: 'string', minLength: 1, maxLength: 1 } },
          },
        },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        const part = req.isMultipart()
          ? await req.file({ limits: { fileSize: MAX_UPLOAD_BYTES } })
          : undefined;
        if (!part)
          throw new UserError('post the path file as a multipart form with a `file` part', { field: 'file' });
        const name = (part.fields.name as { value?: unknown } | undefined)?.value;
        const { half_life, sep, ...q } = req.query;
        return pathAttribution(
          { chunks: part.file, name: typeof name === 'string' ? name : part.filename || 'paths.csv', sep },
          { ...q, halfLife: half_life },
        );
      },
    );
  };
}
