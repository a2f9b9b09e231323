import type { FastifyInstance } from 'fastify';

/** A north star on the product's blue: browsers ask for /favicon.ico on every page. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4ed8"/><path d="M16 3l3 10 10 3-10 3-3 10-3-10-10-3 10-3z" fill="#fff"/></svg>`;

export async function faviconRoutes(app: FastifyInstance): Promise<void> {
  app.get('/favicon.ico', { config: { access: 'public' } }, async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(ICON),
  );
}
