import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The dashboard's client-side pages: each path answers the app's index.html, so a bookmarked or
 * reloaded view opens where it was. The web app's router (src/web/lib/state.ts) knows the same list;
 * a test checks they agree.
 */
export const DASHBOARD_PAGES = [
  '/',
  '/overview',
  '/goals',
  '/goals/:id',
  '/kpis',
  '/kpis/:id',
  '/attribution',
  '/funnel',
  '/planning',
  '/boards',
  '/boards/:board',
  '/data',
] as const;

/** The access declaration (src/server/access.ts): the files hold no figure, every one comes from /api/v1. */
const PUBLIC = { access: 'public' } as const;

/** Where `vite build` writes the app: `dist/web` beside the package.json, from src/ or dist/ alike. */
export const WEB_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** A file name vite writes under assets/: no path, no dot-file, so nothing outside can be named. */
const ASSET = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,200}$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northstar</title></head>
<body><p>The dashboard is not built: run <code>npm run build</code> (or <code>npm ci</code>), then restart <code>northstar serve</code>.
The JSON API is at <code>/api/v1</code>, its description at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * The dashboard (docs/dashboard.md): the built single-page app from `dist/web`. Its files hold no
 * figure (every figure comes from `/api/v1` behind sign-in), so they are public. Hashed assets are
 * cached for a year; the index is revalidated on every load so a new build is picked up at once.
 *
 * @example
 * await app.register(homeRoutes());
 * // GET /goals/leads-q4 → index.html; GET /assets/index-3f2a.js → the script, immutable
 */
export function homeRoutes(dir: string = WEB_DIR) {
  return async (app: FastifyInstance): Promise<void> => {
    const indexFile = join(dir, 'index.html');
    // Re-read when the build changed it (a rebuild while serving), else served from memory.
    let index: { mtime: number; html: string } | null = null;
    const page = async (_req: unknown, reply: FastifyReply) => {
      const mtime = existsSync(indexFile) ? statSync(indexFile).mtimeMs : null;
      if (mtime === null) index = null;
      else if (index?.mtime !== mtime) index = { mtime, html: readFileSync(indexFile, 'utf8') };
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin')
        .header('x-frame-options', 'DENY');
      return index?.html ?? NOT_BUILT;
    };
    for (const url of DASHBOARD_PAGES) app.get(url, { config: PUBLIC }, page);

    app.get<{ Params: { file: string } }>('/assets/:file', { config: PUBLIC }, async (req, reply) => {
      const name = req.params.file;
      const type = TYPES[extname(name)];
      const path = join(dir, 'assets', name);
      if (!ASSET.test(name) || !type || !existsSync(path) || !statSync(path).isFile())
        return reply.code(404).send({ error: `no dashboard file "${name.slice(0, 100)}"` });
      reply
        .type(type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff');
      return reply.send(createReadStream(path));
    });
  };
}
