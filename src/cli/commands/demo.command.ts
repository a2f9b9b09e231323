import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { DemoProgress } from '../../demo/demo.js';
import { demo } from '../../usecases/demo.usecase.js';
import { onStore } from '../backend.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

export function registerDemo(program: Command, rt: Runtime): void {
  program
    .command('demo')
    .description('(re)creates workspace "demo" with 3 years of realistic, reproducible B2B SaaS data')
    .option('--seed <n>', 'random seed: the same seed gives the same data', '1')
    .option('--scale <scale>', 'small (seconds) | medium | large (>= 10M events)', 'small')
    .option('--until <date>', 'last day generated, YYYY-MM-DD (default: today)')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { seed: string; scale: string; until?: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const input = { seed: Number(o.seed), scale: o.scale, until: o.until };
      const started = Date.now();
      const bar =
        rt.isTTY && !rt.inServer && !rt.server
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
      const onProgress = (p: DemoProgress) => {
        if (p.fraction >= 0) fraction = p.fraction;
        const secs = (Date.now() - started) / 1000;
        const rows = p.written.events + p.written.email + p.written.sessions;
        bar?.update(Math.round(fraction * 100), {
          events: p.written.events,
          rate: Math.round(rows / Math.max(secs, 0.001)),
          phase: p.phase,
        });
      };
      const summary = await onStore(rt, (store) => demo(store, input, { onProgress }), {
        method: 'POST',
        path: '/api/v1/demo',
        body: input,
      }).finally(() => bar?.stop());
      const seconds = summary.seconds;
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
