import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { PlanFileError } from '../goals/plan.yaml.js';
import type { PlanText } from '../usecases/goals.usecase.js';
import type { Runtime } from './runtime.js';

/**
 * A YAML file the user names (a goal plan, scoring rules), or a one-line error saying why not.
 *
 * @example
 * const text = readYamlFile('plan.yaml');
 */
export function readYamlFile(file: string): string {
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
    });
  }
}

/**
 * A text file named on the command line, or standard input for `-`, with the name its problems are
 * reported under.
 *
 * @example
 * await readTextInput(rt, '-'); // { text: '…', file: 'stdin' }
 */
export async function readTextInput(rt: Runtime, file: string): Promise<PlanText> {
  return file === '-' ? { text: await rt.stdin(), file: 'stdin' } : { text: readYamlFile(file), file };
}

/** The name a file is reported under (standard input is `stdin`). */
export function inputName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** Runs `fn`; a file with several problems prints each on stderr before the one-line error. */
export async function withFileProblems<T>(rt: Runtime, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PlanFileError && e.problems.length > 1)
      for (const line of e.lines()) rt.err(`${line}\n`);
    throw e;
  }
}
