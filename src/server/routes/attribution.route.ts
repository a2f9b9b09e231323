import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { MODEL_IDS } from '../../attribution/types.js';
import { CONVERSIONS } from '../../attribution/workspace.journeys.js';
import { UserError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { pathAttribution, workspaceAttribution } from '../../usecases/attribution.usecase.js';
import { freshIfAsked } from '../fresh.js';
import { byteLimit, MAX_UPLOAD_BYTES } from '../upload.spool.js';

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
 * attributed as it streams in, as `northstar attribution --paths FILE`; a file over `maxUploadBytes`
 * (the import upload's limit, 2 GiB by default) is a 413.
 */
export function attributionRoutes(store: Store, opts: { maxUploadBytes?: number } = {}) {
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
      async (req) => {
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
      async (req) => {
        const max = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES;
        // The form parser stops one byte past the limit, so a file over it fails here with a 413
        // instead of arriving cut short at the limit (and being attributed, or refused, as if whole).
        const part = req.isMultipart() ? await req.file({ limits: { fileSize: max + 1 } }) : undefined;
        if (!part)
          throw new UserError('post the path file as a multipart form with a `file` part', { field: 'file' });
        const name = (part.fields.name as { value?: unknown } | undefined)?.value;
        const { half_life, sep, ...q } = req.query;
        const chunks = part.file.pipe(byteLimit(max, { bytes: 0 }));
        part.file.once('error', (e) => chunks.destroy(e));
        return pathAttribution(
          { chunks, name: typeof name === 'string' ? name : part.filename || 'paths.csv', sep },
          { ...q, halfLife: half_life },
        );
      },
    );
  };
}
