/**
 * Strict bodies on the JSON API (issue 14). Every route under `/api/` that takes a body either
 * declares a JSON schema for it whose every object refuses unknown fields (`additionalProperties:
 * false`, checked here at registration, so a lax schema fails when the server starts), or declares
 * `config: { body: 'file' }` (an import, a plan, a rules file: the handler reads and checks the file),
 * or takes none: such a route gets a schema that admits no body, an empty one or `{}` only, so
 * `{"x":1}` is a 400 naming `x` instead of being ignored. Validation itself runs with no coercion
 * (app.ts).
 */
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body is a file the handler reads (CSV, NDJSON, YAML, a multipart upload), not a JSON object. */
    body?: 'file';
  }
}

/** What a route takes as its body: a declared JSON object, a file, or nothing. */
export interface BodyRoute {
  method: string;
  url: string;
  kind: 'json' | 'file' | 'none';
  /** The body's schema (json and none). */
  schema: Record<string, unknown> | null;
}

/** The schema of a route that takes no body: nothing, `null` or `{}`. */
export const NO_BODY = { type: ['object', 'null'], properties: {}, additionalProperties: false } as const;

const tables = new WeakMap<FastifyInstance, BodyRoute[]>();

/** Every JSON-API route of `app` that may carry a body, as registered (test/strict.bodies.test.ts walks it). */
export function bodyTable(app: FastifyInstance): readonly BodyRoute[] {
  return tables.get(app) ?? [];
}

/**
 * The places in a schema where an object admits fields it does not name (`''` is the root).
 *
 * @example
 * laxObjects({ type: 'object', properties: { a: { type: 'object' } }, additionalProperties: false }); // ['a']
 */
export function laxObjects(schema: unknown, at = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  const types = [s.type].flat();
  const isObject = types.includes('object') || (s.properties !== undefined && s.type === undefined);
  if (isObject && s.additionalProperties !== false && typeof s.additionalProperties !== 'object')
    out.push(at || '(root)');
  for (const [name, sub] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {}))
    out.push(...laxObjects(sub, at ? `${at}.${name}` : name));
  if (s.items) out.push(...laxObjects(s.items, `${at}[]`));
  if (typeof s.additionalProperties === 'object') out.push(...laxObjects(s.additionalProperties, `${at}.*`));
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const sub of (s[k] as unknown[] | undefined) ?? []) out.push(...laxObjects(sub, at));
  return out;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Gives every body-less JSON-API route the NO_BODY schema and refuses a route whose body schema lets
 * unknown fields through. Call before any route is registered.
 *
 * @example
 * installStrictBodies(app);
 * app.post('/api/v1/x', { config: { access: 'editor' }, schema: { body: { type: 'object', additionalProperties: false } } }, h);
 */
export function installStrictBodies(app: FastifyInstance): void {
  const table: BodyRoute[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path ?? '';
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    const methods = [route.method].flat().filter((m) => WITH_BODY.has(m));
    if (!methods.length) return;
    const note = (kind: BodyRoute['kind'], schema: Record<string, unknown> | null) => {
      for (const method of methods) table.push({ method, url, kind, schema });
    };
    if (route.config?.body === 'file') return note('file', null);
    const declared = (route.schema as { body?: Record<string, unknown> } | undefined)?.body;
    if (!declared) {
      route.schema = { ...(route.schema ?? {}), body: NO_BODY };
      return note('none', NO_BODY as unknown as Record<string, unknown>);
    }
    const lax = laxObjects(declared);
    if (lax.length)
      throw new Error(
        `route ${methods.join(',')} ${url}: its body schema lets unknown fields through at ${lax.join(', ')}: add additionalProperties: false`,
      );
    note('json', declared);
  });
}
