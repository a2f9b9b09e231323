import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Workspace } from '../../domain/workspace.js';
import {
  batchErrorMessage,
  MAX_BATCH_BYTES,
  parseBatch,
  parseSegmentMessage,
} from '../../ingest/segment.schema.js';
import type { Tracker } from '../../ingest/tracker.js';
import { onKeysChanged } from '../../store/key.events.js';
import type { Store } from '../../store/store.js';
import { KeyCache, type KeyUsage } from '../key.cache.js';
import type { RateLimiter } from '../rate.limit.js';

const SINGLE: Record<string, string> = {
  track: 'track',
  identify: 'identify',
  page: 'page',
  screen: 'screen',
  group: 'group',
  alias: 'alias',
  t: 'track',
  i: 'identify',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
};

/**
 * The Segment-compatible tracking API: `POST /v1/{track|identify|page|screen|group|alias|batch}`, the
 * browser SDK's short paths, JSON sent as text/plain, CORS, and the settings the browser SDK loads.
 * A 200 means the events are durable (the tracker answers after its group commit).
 */
export function trackRoutes(
  store: Store,
  tracker: Tracker,
  publicUrl: () => string,
  limits: RateLimiter,
  usage: KeyUsage,
) {
  /** A 429 with the seconds to wait, which the SDKs honour before they retry the same batch. */
  const limited = (reply: FastifyReply, wait: number) =>
    reply
      .code(429)
      .header('retry-after', String(wait))
      .send({ success: false, error: `too many events for this write key; retry after ${wait} s` });
  const keys = new KeyCache<Workspace>(async (key) => {
    const found = await store.findApiKey(key);
    return found?.kind === 'write' ? found.workspace : null;
  });
  // A revoked key is refused by the very next request: the revocation empties this cache.
  onKeysChanged(() => keys.clear());
  const workspaceFor = async (key: string | null): Promise<Workspace | null> => {
    const w = await keys.get(key);
    if (w && key) usage.used(key);
    return w;
  };

  function basicUser(req: FastifyRequest): string | null {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m?.[1]) return null;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    return user ? user : null;
  }

  return async (app: FastifyInstance): Promise<void> => {
    // The browser SDK posts JSON as text/plain to avoid a CORS preflight, and some server SDKs send
    // gzip with a form content type: every body on these routes is read as JSON.
    const asJson = (
      _req: FastifyRequest,
      body: string | Buffer,
      done: (err: Error | null, body?: unknown) => void,
    ) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(Object.assign(new Error('invalid JSON'), { statusCode: 400 }), undefined);
      }
    };
    const opts = { parseAs: 'string' as const, bodyLimit: 2 * MAX_BATCH_BYTES };
    // Plain JSON.parse for application/json too: Fastify's default also scans every body for
    // __proto__ (measured: +11-19 % on a 19 KB, 100-event batch), and nothing here merges parsed
    // objects into prototypes.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      ['application/json', 'text/plain', 'application/x-www-form-urlencoded'],
      opts,
      asJson,
    );
    app.addContentTypeParser('*', opts, asJson);
    app.addHook('onRequest', async (req, reply) => {
      if (!req.url.startsWith('/v1/')) return;
      // Any site may send events, and none needs cookies to: no credentials, so no reflected origin.
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      reply.header(
        'access-control-allow-headers',
        req.headers['access-control-request-headers'] ?? 'content-type, authorization',
      );
      reply.header('access-control-max-age', '86400');
    });
    app.options('/v1/*', { config: { access: 'public' } }, async (_req, reply) => reply.code(204).send());
    // Server SDKs (RudderStack's by default) gzip their batches.
    app.addHook('preParsing', async (req, _reply, payload) => {
      const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
      if (!req.url.startsWith('/v1/') || (enc !== 'gzip' && enc !== 'deflate')) return payload;
      const inflated = payload.pipe(enc === 'gzip' ? createGunzip() : createInflate()) as typeof payload & {
        receivedEncodedLength?: number;
      };
      let encoded = 0;
      payload.on('data', (chunk: Buffer) => {
        encoded += chunk.length;
        inflated.receivedEncodedLength = encoded;
      });
      return inflated;
    });

    const handle = async (req: FastifyRequest<{ Params: { kind: string } }>, reply: FastifyReply) => {
      const receivedAt = new Date();
      const kind = req.params.kind;
      const body = req.body;
      const compressed = Boolean(
        req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity',
      );
      const byteLength = compressed ? undefined : Number(req.headers['content-length'] ?? 0) || undefined;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return reply.code(400).send({ success: false, error: 'the body must be a JSON object' });
      }
      const isBatch = kind === 'batch' || kind === 'b' || kind === 'import';
      const bodyKey =
        typeof (body as { writeKey?: unknown }).writeKey === 'string'
          ? (body as { writeKey: string }).writeKey
          : null;
      const workspace = await workspaceFor(basicUser(req) ?? bodyKey);
      if (!workspace) return reply.code(401).send({ success: false, error: 'unknown or missing write key' });
      if (isBatch) {
        const parsed = parseBatch(body, { byteLength });
        const error = batchErrorMessage(parsed);
        if (error) return reply.code(400).send({ success: false, error, issues: parsed.issues });
        const wait = limits.take(workspace.id, parsed.messages.length);
        if (wait) return limited(reply, wait);
        const r = await tracker.accept(workspace, parsed.messages, receivedAt);
        return { success: true, ...(r.duplicates ? { duplicates: r.duplicates } : {}) };
      }
      const type = SINGLE[kind];
      if (!type) return reply.code(404).send({ success: false, error: `unknown endpoint /v1/${kind}` });
      const parsed = parseSegmentMessage(body, { type, byteLength });
      if (!parsed.ok) return reply.code(400).send({ success: false, error: parsed.reason });
      const wait = limits.take(workspace.id, 1);
      if (wait) return limited(reply, wait);
      const r = await tracker.accept(workspace, [parsed.message], receivedAt);
      return { success: true, ...(r.duplicates ? { duplicates: r.duplicates } : {}) };
    };
    app.post('/v1/:kind', { config: { access: 'track' }, bodyLimit: 2 * MAX_BATCH_BYTES }, handle);

    app.get<{ Params: { writeKey: string } }>(
      '/v1/projects/:writeKey/settings',
      { config: { access: 'track' } },
      async (req, reply) => {
        const workspace = await workspaceFor(req.params.writeKey);
        if (!workspace) return reply.code(404).send({ error: 'unknown write key' });
        // From the configuration, never from the request's Host header (which a client chooses).
        const origin = new URL(publicUrl());
        return {
          integrations: {
            'Segment.io': {
              apiKey: req.params.writeKey,
              apiHost: `${origin.host}/v1`,
              protocol: origin.protocol.replace(':', ''),
              unbundledIntegrations: [],
              addBundledMetadata: true,
              maybeBundledConfigIds: {},
            },
          },
          plan: {
            track: { __default: { enabled: true, integrations: {} } },
            identify: { __default: { enabled: true } },
            group: { __default: { enabled: true } },
          },
          edgeFunction: {},
          analyticsNextEnabled: true,
          middlewareSettings: {},
          enabledMiddleware: {},
          metrics: { sampleRate: 0 },
          legacyVideoPluginsEnabled: false,
          remotePlugins: [],
        };
      },
    );
  };
}
