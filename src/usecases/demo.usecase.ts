/** The demo workspace (`demo`, `POST /api/v1/demo`). */
import { UserError } from '../core/errors.js';
import { parseDate } from '../core/time.js';
import type { Scale } from '../demo/demo.config.js';
import { type DemoProgress, runDemo } from '../demo/demo.js';
import type { DataCounts, Store } from '../store/store.js';

const SCALES = ['small', 'medium', 'large'];

export type DemoSummary = {
  workspace: string;
  seed: number;
  scale: string;
  from: string;
  until: string;
  seconds: number;
} & DataCounts;

/**
 * (Re)creates workspace `demo` with three years of reproducible data; the same seed, scale and
 * `until` give the same rows.
 *
 * @example
 * await demo(store, { seed: 1, scale: 'small', until: '2026-11-24' }); // { workspace: 'demo', seed: 1, …, events: … }
 */
export async function demo(
  store: Store,
  input: { seed?: number; scale?: string; until?: string },
  hooks: { onProgress?: (p: DemoProgress) => void } = {},
): Promise<DemoSummary> {
  const seed = input.seed ?? 1;
  const scale = input.scale ?? 'small';
  if (!Number.isInteger(seed) || seed < 0)
    throw new UserError('--seed must be a whole number >= 0', { field: '--seed' });
  if (!SCALES.includes(scale))
    throw new UserError(`--scale must be one of ${SCALES.join(', ')}`, { field: '--scale' });
  const until = input.until === undefined ? undefined : parseDate(input.until, '--until');
  const started = Date.now();
  const result = await runDemo(store, { seed, scale: scale as Scale, until }, hooks.onProgress);
  return {
    workspace: result.workspace.slug,
    seed,
    scale,
    from: result.options.from,
    until: result.options.until,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...result.counts,
  };
}
