import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { boardFile } from '../../usecases/exports.usecase.js';
import { createShare, listShares, revokeShare } from '../../usecases/shares.usecase.js';
import { actorOf } from '../access.js';

/** This server's own loopback address, which Chromium opens to render a board. */
export function selfUrl(req: FastifyRequest): string {
  const a = req.server.server.address();
  if (!a || typeof a !== 'object') throw new Error('the server is not listening: a board cannot be rendered');
  const host = /^(0\.0\.0\.0|::)$/.test(a.address) ? '127.0.0.1' : a.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${a.port}`;
}

const FILE = /^(sales|saas|response|overview)\.(pdf|png)$/;

/**
 * Share links and board files (docs/dashboard.md): `GET|POST /api/v1/shares`,
 * `DELETE /api/v1/shares/{id}` (editors and admins; every change audited), `GET /api/v1/share` (what a
 * share link opens: its board and the workspace's name, zone and currency; share links only), and
 * `GET /api/v1/boards/{board}.pdf|.png` (the board rendered by Chromium from its share view).
 */
export function shareRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/shares', { config: { access: 'editor' } }, async (req) =>
      listShares(store.forWorkspace(req.access.workspace)),
    );

    app.post<{ Body: { board: string } }>(
      '/api/v1/shares',
      {
        config: { access: 'editor' },
        schema: {
          body: {
            type: 'object',
            required: ['board'],
            properties: { board: { type: 'string', maxLength: 20 } },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await createShare(store.forWorkspace(req.access.workspace), req.body, actorOf(req.access))),
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/shares/:id',
      { config: { access: 'editor' } },
      async (req) =>
        revokeShare(store.forWorkspace(req.access.workspace), { id: req.params.id }, actorOf(req.access)),
    );

    app.get('/api/v1/share', { config: { access: 'viewer', share: 'only' } }, async (req) => {
      const { workspace: w, principal } = req.access;
      if (principal.kind !== 'share') throw new UserError('this answers share links only', {}, 401);
      return {
        board: principal.board,
        prefix: principal.prefix,
        workspace: { slug: w.slug, name: w.name, timezone: w.timezone, currency: w.currency },
      };
    });

    app.get<{ Params: { file: string }; Querystring: { period?: string; from?: string; to?: string } }>(
      '/api/v1/boards/:file',
      {
        config: { access: 'viewer' },
        schema: {
          querystring: {
            type: 'object',
            properties: {
              period: { type: 'string', maxLength: 20 },
              from: { type: 'string', maxLength: 10 },
              to: { type: 'string', maxLength: 10 },
            },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => {
        const m = FILE.exec(req.params.file);
        if (!m)
          throw new UserError(
            `no board file "${req.params.file.slice(0, 60)}": ask for sales|saas|response|overview .pdf or .png`,
            {},
            404,
          );
        const file = await boardFile(
          store.forWorkspace(req.access.workspace),
          { board: m[1] ?? '', format: m[2] as 'pdf' | 'png', ...req.query },
          selfUrl(req),
        );
        return reply
          .type(file.type)
          .header('content-disposition', `attachment; filename="${file.name}"`)
          .header('cache-control', 'no-store')
          .send(file.bytes);
      },
    );
  };
}
