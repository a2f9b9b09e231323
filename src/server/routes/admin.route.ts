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
import { actorOf, adminAccess, adminWorkspace, readAccess } from '../auth.js';

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
    app.get('/api/v1/stats', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return stats(store.forWorkspace(w));
    });

    app.get('/api/v1/workspace', async (req, reply) => {
      const w = await readAccess(store, req, reply);
      if (!w) return reply;
      return workspaceInfo(store.forWorkspace(w));
    });

    app.get('/api/v1/workspaces', async (req, reply) => {
      if (!(await adminAccess(store, req, reply))) return reply;
      return listWorkspaces(store);
    });

    app.post<{ Body: { slug: string; timezone?: string; currency?: string } }>(
      '/api/v1/workspaces',
      {
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
      async (req, reply) => {
        if (!(await adminAccess(store, req, reply))) return reply;
        return reply.code(201).send(await createWorkspace(store, req.body));
      },
    );

    app.get('/api/v1/keys', async (req, reply) => {
      const w = await adminWorkspace(store, req, reply);
      if (!w) return reply;
      return listKeys(store.forWorkspace(w));
    });

    app.post<{ Body: { kind: string } }>(
      '/api/v1/keys',
      {
        schema: {
          body: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => {
        const w = await adminWorkspace(store, req, reply);
        if (!w) return reply;
        return reply.code(201).send(await createKey(store.forWorkspace(w), req.body));
      },
    );

    app.delete<{ Params: { key: string } }>('/api/v1/keys/:key', async (req, reply) => {
      const w = await adminWorkspace(store, req, reply);
      if (!w) return reply;
      return revokeKey(store.forWorkspace(w), { key: req.params.key }, actorOf(store, req));
    });

    app.post<{ Body: { email: string; role?: string; name?: string; password: string } }>(
      '/api/v1/users',
      {
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
      async (req, reply) => {
        const w = await adminWorkspace(store, req, reply);
        if (!w) return reply;
        return reply
          .code(201)
          .send(await addUser(store, store.forWorkspace(w), req.body, actorOf(store, req)));
      },
    );

    app.get<{ Querystring: { limit?: number } }>(
      '/api/v1/audit',
      { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer' } } } } },
      async (req, reply) => {
        const w = await adminWorkspace(store, req, reply);
        if (!w) return reply;
        return auditLog(store.forWorkspace(w), req.query);
      },
    );

    app.post<{ Body: { seed?: number; scale?: string; until?: string } }>(
      '/api/v1/demo',
      {
        schema: {
          body: {
            type: 'object',
            properties: { seed: { type: 'integer' }, scale: { type: 'string' }, until: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => {
        if (!(await adminAccess(store, req, reply))) return reply;
        return demo(store, req.body ?? {});
      },
    );

    app.post('/api/v1/backups', async (req, reply) => {
      if (!(await adminAccess(store, req, reply))) return reply;
      const dir = backupDir(dataDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const id = randomUUID();
      return reply.code(201).send({ id, ...(await backup(store, { path: join(dir, `${id}.duckdb`) })) });
    });

    app.get<{ Params: { id: string } }>('/api/v1/backups/:id', async (req, reply) => {
      if (!(await adminAccess(store, req, reply))) return reply;
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
    });
  };
}
