import type { FastifyInstance } from 'fastify';
import { buildProgram, runProgram } from '../../cli/program.js';
import type { Runtime } from '../../cli/runtime.js';
import type { Store } from '../../store/store.js';

/**
 * Runs a CLI command inside the server for a `northstar` process that found the database held by this
 * server (DuckDB lets one process write a file). Declared `local`: only a caller holding the token
 * from the data directory's server file reaches it (access.ts).
 */
export function cliRoutes(opts: { store: Store; dataDir: string }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Body: { argv: string[]; stdin?: string; tty?: boolean } }>(
      '/api/internal/cli',
      {
        config: { access: 'local' },
        schema: {
          hide: true,
          body: {
            type: 'object',
            required: ['argv'],
            properties: {
              argv: { type: 'array', items: { type: 'string' } },
              stdin: { type: 'string' },
              tty: { type: 'boolean' },
            },
          },
        },
      },
      async (req, _reply) => {
        let stdout = '';
        let stderr = '';
        const rt: Runtime = {
          store: async () => opts.store,
          out: (s) => {
            stdout += s;
          },
          err: (s) => {
            stderr += s;
          },
          stdin: async () => req.body.stdin ?? '',
          isTTY: req.body.tty === true,
          dataDir: opts.dataDir,
          inServer: true,
        };
        const code = await runProgram(buildProgram(rt), rt, req.body.argv);
        return { code, stdout, stderr };
      },
    );
  };
}
