import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { backup } from '../../usecases/backup.usecase.js';
import { demo } from '../../usecases/demo.usecase.js';
import { createKey, listKeys, revokeKey } from '../../usecases/keys.usecase.js';
import { stats } from '../../usecases/stats.usecase.js';
import { addUser } from '../../usecases/users.usecase.js';
import {
  auditLog,
  createWorkspace,
  listWorkspaces,
  workspaceInfo,
} from '../../usecases/workspaces.usecase.js';
import { actorOf } from '../access.js';

/** Where the server writes the snapshots it streams to `northstar backup` (inside the data directory). */
export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/**
 * The workspace and administration: `GET /api/v1/stats`, `GET /api/v1/workspace` (the key's or named
 * workspace), `GET|POST /api/v1/workspaces`, `GET|POST /api/v1/keys`, `DELETE /api/v1/keys/{key}`,
 * `POST /api/v1/users`, `GET /api/v1/audit`, `POST /api/v1/demo`, and backups: `POST
 * /api/v1/backups` writes a snapshot in the data directory, `GET /api/v1/backups/{id}` streams it
 * once and deletes it.
 */
export function adminRoutes(store: Store, dataDir: string) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/stats', { config: { access: 'viewer' } }, async (req) =>
      stats(store.forWorkspace(req.access.workspace)),
    );

    app.get('/api/v1/workspace', { config: { access: 'viewer' } }, async (req) =>
      workspaceInfo(store.forWorkspace(req.access.workspace)),
    );

    app.get('/api/v1/workspaces', { config: { access: 'local' } }, async () => listWorkspaces(store));

    app.post<{ Body: { slug: string; timezone?: string; currency?: string } }>(
      '/api/v1/workspaces',
      {
        config: { access: 'local' },
        schema: {
          body: {
            type: 'object',
            required: ['slug'],
            properties: {
              slug: { type: 'string' },
              timezone: { type: 'string' },
              currency: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => reply.code(201).send(await createWorkspace(store, req.body)),
    );

    app.get('/api/v1/keys', { config: { access: 'admin' } }, async (req) =>
      listKeys(store.forWorkspace(req.access.workspace)),
    );

    app.post<{ Body: { kind: string; role?: string } }>(
      '/api/v1/keys',
      {
        config: { access: 'admin' },
        schema: {
          body: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' }, role: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await createKey(store.forWorkspace(req.access.workspace), req.body, actorOf(req.access))),
    );

    app.delete<{ Params: { key: string } }>(
      '/api/v1/keys/:key',
      { config: { access: 'admin' } },
      async (req) =>
        revokeKey(store.forWorkspace(req.access.workspace), { key: req.params.key }, actorOf(req.access)),
    );

    app.post<{ Body: { email: string; role?: string; name?: string; password: string } }>(
      '/api/v1/users',
      {
        config: { access: 'admin' },
        schema: {
          body: {
            type: 'object',
            required: ['email', 'password'],
            properties: {
              email: { type: 'string' },
              role: { type: 'string' },
              name: { type: 'string' },
              password: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(
            await addUser(store, store.forWorkspace(req.access.workspace), req.body, actorOf(req.access)),
          ),
    );

    app.get<{ Querystring: { limit?: number } }>(
      '/api/v1/audit',
      {
        config: { access: 'admin' },
        schema: { querystring: { type: 'object', properties: { limit: { type: 'integer' } } } },
      },
      async (req) => auditLog(store.forWorkspace(req.access.workspace), req.query),
    );

    app.post<{ Body: { seed?: number; scale?: string; until?: string } }>(
      '/api/v1/demo',
      {
        config: { access: 'local' },
        schema: {
          body: {
            type: 'object',
            properties: { seed: { type: 'integer' }, scale: { type: 'string' }, until: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      async (req) => demo(store, req.body ?? {}),
    );

    app.post('/api/v1/backups', { config: { access: 'local' } }, async (_req, reply) => {
      const dir = backupDir(dataDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const id = randomUUID();
      return reply.code(201).send({ id, ...(await backup(store, { path: join(dir, `${id}.duckdb`) })) });
    });

    app.get<{ Params: { id: string } }>(
      '/api/v1/backups/:id',
      { config: { access: 'local' } },
      async (req, reply) => {
        if (!/^[0-9a-f-]{36}$/.test(req.params.id)) throw new NotFoundError(`backup "${req.params.id}"`);
        const path = join(backupDir(dataDir), `${req.params.id}.duckdb`);
        const stream = createReadStream(path);
        await new Promise<void>((resolve, reject) => {
          stream.once('open', () => resolve());
          stream.once('error', (e: NodeJS.ErrnoException) =>
            reject(e.code === 'ENOENT' ? new NotFoundError(`backup "${req.params.id}"`) : e),
          );
        });
        // Streamed once: the snapshot is the caller's now, and the data directory does not fill up.
        stream.once('close', () => rmSync(path, { force: true }));
        return reply.type('application/octet-stream').send(stream);
      },
    );
  };
}
