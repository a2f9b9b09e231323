import { Command, CommanderError } from 'commander';
import { isUserError } from '../core/errors.js';
import { registerAdmin } from './commands/admin.command.js';
import { registerAttribution } from './commands/attribution.command.js';
import { registerBackup } from './commands/backup.command.js';
import { registerChannels } from './commands/channels.command.js';
import { registerDemo } from './commands/demo.command.js';
import { registerGoals } from './commands/goals.command.js';
import { registerImport } from './commands/import.command.js';
import { registerKpi } from './commands/kpi.command.js';
import { registerPlan } from './commands/plan.command.js';
import { registerScaleOut } from './commands/scaleout.command.js';
import { registerScore } from './commands/score.command.js';
import type { Runtime } from './runtime.js';

/**
 * The whole CLI as a commander program bound to a runtime. `serve` is registered by main.ts only.
 * Commands parse flags, call their use case (here, or on a running server: src/cli/backend.ts) and
 * format its JSON.
 */
export function buildProgram(rt: Runtime): Command {
  const program = new Command('northstar')
    .description('Marketing goals, SMART objectives, KPIs and attribution from your own data')
    .option('--data <dir>', 'data directory (env NORTHSTAR_DATA, default ./data)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => rt.out(s), writeErr: (s) => rt.err(s) });
  registerDemo(program, rt);
  registerAdmin(program, rt);
  registerKpi(program, rt);
  registerChannels(program, rt);
  registerGoals(program, rt);
  registerAttribution(program, rt);
  registerPlan(program, rt);
  registerImport(program, rt);
  registerBackup(program, rt);
  registerScore(program, rt);
  registerScaleOut(program, rt);
  for (const c of program.commands) inherit(c);
  return program;
}

/** Subcommands exit through the program's override and write through the runtime too. */
function inherit(cmd: Command): void {
  cmd.exitOverride();
  for (const c of cmd.commands) inherit(c);
}

/** Runs argv; returns the exit status (0 ok, 1 user error, 2 internal failure) and never throws. */
export async function runProgram(program: Command, rt: Runtime, argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version "errors" are successes; the message has been printed already.
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.help' ||
        e.code === 'commander.version'
        ? 0
        : 1;
    }
    if (isUserError(e)) {
      rt.err(`error: ${e.oneLine()}\n`);
      return 1;
    }
    rt.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
