/**
 * Deterministic path files in ChannelAttribution's layout for the attribution bench: 12 channels
 * with skewed popularity, path lengths averaging about 4 with a long tail past 30, repeats of the
 * previous channel, and conversion odds that grow with length. One row per journey, so short
 * paths repeat across rows as they do in real exports.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random.js';

export const BENCH_CHANNELS = [
  'Organic Search',
  'Paid Search',
  'Direct',
  'Email',
  'Social',
  'Referral',
  'Display',
  'Affiliate',
  'Video',
  'SMS',
  'Podcast',
  'Partner',
] as const;

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** Channel count (<= 12). */
  channels?: number;
}

export interface GenerateStats {
  rows: number;
  touches: number;
  maxLength: number;
  conversions: number;
  bytes: number;
}

/** Path length: mostly 1 + geometric (mean 3.2), 4 % a long tail of 10 to 45 touches. */
function pathLength(rng: Rng): number {
  if (rng.chance(0.04)) return rng.int(10, 45);
  let n = 1;
  while (rng.chance(0.6875)) n++;
  return n;
}

/**
 * Writes `rows` rows to `file` and returns what it wrote.
 *
 * @example
 * generatePathFile('bench/data/paths-1m.csv', { rows: 1_000_000, seed: 42 });
 */
export function generatePathFile(file: string, options: GenerateOptions): GenerateStats {
  const rng = new Rng(options.seed);
  const names = BENCH_CHANNELS.slice(0, options.channels ?? BENCH_CHANNELS.length);
  // Zipf-like popularity: channel k drawn with weight 1 / (k + 1).
  const weights = names.map((_, k) => 1 / (k + 1));
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const stats: GenerateStats = { rows: 0, touches: 0, maxLength: 0, conversions: 0, bytes: 0 };
  let lines: string[] = ['path;total_conversions;total_conversion_value;total_null'];
  const flush = (): void => {
    const text = `${lines.join('\n')}\n`;
    stats.bytes += Buffer.byteLength(text);
    writeSync(fd, text);
    lines = [];
  };
  try {
    for (let r = 0; r < options.rows; r++) {
      const n = pathLength(rng);
      const path: string[] = [];
      let prev = '';
      for (let i = 0; i < n; i++) {
        prev = i > 0 && rng.chance(0.25) ? prev : rng.weighted(names, weights);
        path.push(prev);
      }
      const converted = rng.chance(Math.min(0.6, 0.04 + 0.03 * n));
      // One row in ten stands for several identical journeys, as aggregated exports do.
      const copies = rng.chance(0.1) ? rng.int(2, 6) : 1;
      const conv = converted ? copies : 0;
      const value = converted ? Math.round(copies * rng.logNormal(60, 0.7) * 100) / 100 : 0;
      const nulls = converted ? rng.int(0, 2) : copies;
      lines.push(`${path.join(' > ')};${conv};${value};${nulls}`);
      stats.rows++;
      stats.touches += n;
      stats.maxLength = Math.max(stats.maxLength, n);
      stats.conversions += conv;
      if (lines.length >= 20_000) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return stats;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const file = process.argv[2] ?? 'bench/data/paths-1000000-s42.csv';
  const rows = Number(process.argv[3] ?? 1_000_000);
  console.log(generatePathFile(file, { rows, seed: Number(process.argv[4] ?? 42) }));
}
