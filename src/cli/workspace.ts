import { UserError } from '../core/errors.js';
import { defaultFormat, FORMATS, type Format } from './format.js';
import type { Runtime } from './runtime.js';

export function pickFormat(rt: Runtime, f: string | undefined): Format {
  if (f === undefined) return defaultFormat(rt.isTTY);
  if (!(FORMATS as readonly string[]).includes(f))
    throw new UserError(`--format must be one of ${FORMATS.join(', ')}`, { field: '--format' });
  return f as Format;
}
