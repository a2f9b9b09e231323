import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Serves Segment's browser SDK (analytics-next, MIT) from this server, so a site's unchanged Segment
 * snippet works with Northstar as its CDN: set `analytics._cdn` to this host (or load
 * `/analytics.js/v1/{writeKey}/analytics.min.js`), and settings, code and events all stay here.
 */
export function sdkRoutes() {
  const require = createRequire(import.meta.url);
  let umd: string | null = null;
  try {
    umd = join(dirname(require.resolve('@segment/analytics-next/package.json')), 'dist', 'umd');
  } catch {
    umd = null;
  }
  const cache = new Map<string, Buffer>();
  const file = async (name: string): Promise<Buffer | null> => {
    if (!umd || !/^[\w.-]+\.js$/.test(name)) return null;
    const hit = cache.get(name);
    if (hit) return hit;
    try {
      const buf = await readFile(join(umd, name));
      cache.set(name, buf);
      return buf;
    } catch (e) {
      // A name the bundle lacks is a 404; an unreadable file is a fault (a 500, logged).
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };
  return async (app: FastifyInstance): Promise<void> => {
    if (!umd) app.log.warn('@segment/analytics-next is not installed: the browser SDK routes answer 404');
    const send = async (name: string, reply: import('fastify').FastifyReply) => {
      const buf = await file(name);
      if (!buf) return reply.code(404).send({ error: 'not found' });
      return reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('access-control-allow-origin', '*')
        .send(buf);
    };
    app.get('/analytics.js/v1/:writeKey/analytics.min.js', { config: { access: 'public' } }, (_req, reply) =>
      send('standalone.js', reply),
    );
    app.get<{ Params: { file: string } }>(
      '/analytics-next/bundles/:file',
      { config: { access: 'public' } },
      (req, reply) => send(req.params.file, reply),
    );
  };
}
