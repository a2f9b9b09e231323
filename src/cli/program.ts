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
import { registerReport } from './commands/report.command.js';
import { registerScaleOut } from './commands/scaleout.command.js';
import { registerScore } from './commands/score.command.js';
import { registerShare } from './commands/share.command.js';
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
  registerShare(program, rt);
  registerReport(program, rt);
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
      rt.err(`error: ${oneLine(e.oneLine())}\n`);
      return 1;
    }
    const refused = fileRefusal(e);
    if (refused) {
      rt.err(`error: ${oneLine(refused)}\n`);
      return 1;
    }
    rt.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

/**
 * A reason as one printable line: control characters (a newline, NUL) escaped, and a value echoed
 * from a hostile argument cut at 1,000 characters.
 *
 * @example
 * oneLine('workspace "a\nb" does not exist'); // 'workspace "a\\nb" does not exist'
 */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return flat.length > 1_000 ? `${flat.slice(0, 1_000)}…` : flat;
}

/** File-system refusals of a path the user named (`--out`, FILE): theirs to fix, not a crash. */
const FILE_CODES = new Set([
  'ENOENT',
  'ENAMETOOLONG',
  'EACCES',
  'EPERM',
  'EISDIR',
  'ENOTDIR',
  'EEXIST',
  'ELOOP',
  'EROFS',
  'ENOSPC',
  'EINVAL',
]);

/**
 * The reason a file operation on a path the user named failed, or null for any other error.
 *
 * @example
 * fileRefusal(Object.assign(new Error('ENAMETOOLONG: name too long, open \'x…\''), { code: 'ENAMETOOLONG', path: 'x…' }));
 */
export function fileRefusal(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const { code, path } = e as NodeJS.ErrnoException;
  if (code && FILE_CODES.has(code) && typeof path === 'string') return e.message;
  // A path with a NUL byte is refused by Node before any system call.
  if (code === 'ERR_INVALID_ARG_VALUE' && /null bytes/.test(e.message))
    return 'a file name cannot hold a NUL byte';
  return null;
}
