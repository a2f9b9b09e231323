/**
 * The server's log: one line per entry on stderr, `TIME LEVEL message key=value…`, an error's stack
 * indented below it. It implements the part of pino's interface that Fastify calls, so the app and
 * the process (startup, shutdown, database faults) write to one log with one level.
 *
 * Requests are not logged one by one (20,000 tracking requests a second would drown everything);
 * every answer with status 5xx is, once, with its request id (app.ts).
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const RANK: Record<LogLevel, number> = {
  fatal: 60,
  error: 50,
  warn: 40,
  info: 30,
  debug: 20,
  trace: 10,
  silent: 100,
};

type LogFn = (objOrMsg?: unknown, msg?: string, ...rest: unknown[]) => void;

export interface Logger {
  level: string;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  silent: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * A level name from a flag or the environment; a clear error for anything else.
 *
 * @example
 * parseLogLevel('warn'); // 'warn'
 */
export function parseLogLevel(text: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  if (text === undefined || text === '') return fallback;
  const l = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(l)) return l as LogLevel;
  throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${text}"`);
}

function fieldText(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (v instanceof Date) return v.toISOString();
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * @example
 * const log = createLogger('info');
 * log.info('Northstar listening on http://127.0.0.1:8080');
 * log.child({ reqId: 'r1' }).error({ err, route: 'POST /v1/track' }, 'request failed');
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
  bindings: Record<string, unknown> = {},
): Logger {
  const min = RANK[level];
  const emit =
    (name: Exclude<LogLevel, 'silent'>): LogFn =>
    (objOrMsg, msg) => {
      if (RANK[name] < min) return;
      let fields: Record<string, unknown> = {};
      let text = '';
      let err: Error | null = null;
      if (objOrMsg instanceof Error) {
        err = objOrMsg;
        text = msg ?? objOrMsg.message;
      } else if (typeof objOrMsg === 'object' && objOrMsg !== null) {
        fields = { ...(objOrMsg as Record<string, unknown>) };
        if (fields.err instanceof Error) err = fields.err;
        delete fields.err;
        text = msg ?? (err ? err.message : '');
      } else text = String(objOrMsg ?? msg ?? '');
      const all = { ...bindings, ...fields };
      const kv = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${fieldText(v)}`)
        .join(' ');
      const stack = err?.stack ? `\n  ${err.stack.split('\n').join('\n  ')}` : '';
      write(`${new Date().toISOString()} ${name.toUpperCase()} ${text}${kv ? ` ${kv}` : ''}${stack}\n`);
    };
  return {
    level,
    fatal: emit('fatal'),
    error: emit('error'),
    warn: emit('warn'),
    info: emit('info'),
    debug: emit('debug'),
    trace: emit('trace'),
    silent: () => undefined,
    child: (more) => createLogger(level, write, { ...bindings, ...more }),
  };
}
