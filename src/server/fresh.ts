import type { FastifyRequest } from 'fastify';
import { readFresh } from '../store/read.cache.js';

/**
 * Answers `fn()`; with `Cache-Control: no-cache` on the request (a script that needs today's figures),
 * from fresh figures only: no answer kept from before tracking data arrived is served stale
 * (store/answer.cache.ts).
 *
 * @example
 * return freshIfAsked(req, () => workspaceAttribution(ws, q));
 */
export function freshIfAsked<T>(req: FastifyRequest, fn: () => Promise<T>): Promise<T> {
  const cc = req.headers['cache-control'] ?? '';
  return /\bno-cache\b/.test(cc) ? readFresh(fn) : fn();
}
