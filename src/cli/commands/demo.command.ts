import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { parseDate } from '../../core/time.js';
import type { Scale } from '../../demo/demo.config.js';
import { runDemo } from '../../demo/demo.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

const SCALES = ['small', 'medium', 'large'];

export function registerDemo(program: Command, rt: Runtime): void {
  program
    .command('demo')
    .description('(re)creates workspace "demo" with 3 years of realistic, reproducible B2B SaaS data')
    .option('--seed <n>', 'random seed: the same seed gives the same data', '1')
    .option('--scale <scale>', 'small (seconds) | medium | large (>= 10M events)', 'small')
    .option('--until <date>', 'last day generated, YYYY-MM-DD (default: today)')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { seed: string; scale: string; until?: string; format?: string }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0)
        throw new UserError('--seed must be a whole number >= 0', { field: '--seed' });
      if (!SCALES.includes(o.scale))
        throw new UserError(`--scale must be one of ${SCALES.join(', ')}`, { field: '--scale' });
      const until = o.until === undefined ? undefined : parseDate(o.until, '--until');
      const format = pickFormat(rt, o.format);
      const started = Date.now();
      const bar =
        rt.isTTY && !rt.inServer
          ? new cliProgress.SingleBar(
              {
                format: 'demo {bar} {percentage}% | {events} events | {rate} rows/s | {phase}',
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            )
          : null;
      bar?.start(100, 0, { events: 0, rate: 0, phase: 'generating' });
      let fraction = 0;
      const result = await runDemo(await rt.store(), { seed, scale: o.scale as Scale, until }, (p) => {
        if (p.fraction >= 0) fraction = p.fraction;
        const secs = (Date.now() - started) / 1000;
        const rows = p.written.events + p.written.email + p.written.sessions;
        bar?.update(Math.round(fraction * 100), {
          events: p.written.events,
          rate: Math.round(rows / Math.max(secs, 0.001)),
          phase: p.phase,
        });
      });
      bar?.stop();
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      const summary = {
        workspace: result.workspace.slug,
        seed,
        scale: o.scale,
        from: result.options.from,
        until: result.options.until,
        seconds,
        ...result.counts,
      };
      if (rt.isTTY) rt.err(`demo workspace ready in ${seconds} s\n`);
      rt.out(
        render(
          format,
          summary,
          Object.entries(summary).map(([key, value]) => ({ key, value })),
        ),
      );
    });
}
