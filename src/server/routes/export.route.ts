import type { FastifyInstance } from 'fastify';
import { BREAKDOWNS, type Breakdown } from '../../metrics/measures.js';
import { GRAINS, type Grain } from '../../metrics/periods.js';
import type { Store } from '../../store/store.js';
import { queryKpi, requireKpi } from '../../usecases/kpis.usecase.js';
import { kpiQuerySchema } from './kpi.route.js';

/**
 * A text cell a spreadsheet would run as a formula gets a leading `'` (as the CLI's CSV does); numbers
 * are left alone.
 *
 * @example
 * csvCell('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(String(v)) ? `'${String(v)}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * `GET /api/v1/export/kpis/{id}.csv?from=&to=&grain=&by=`: every row of `GET /api/v1/kpis/{id}` (the same
 * use case, all rows) as CSV, for the dashboard's "Export CSV" buttons.
 *
 * @example
 * curl -H "Authorization: Bearer $READ_KEY" 'localhost:8080/api/v1/export/kpis/leads.csv?from=2026-01-01&to=2026-03-31&grain=month&by=channel'
 * // period,channel,leads\n2026-01-01,Email,12\n…
 */
export function exportRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{
      Params: { id: string };
      Querystring: { from: string; to: string; grain?: Grain; by?: Breakdown };
    }>(
      '/api/v1/export/kpis/:id.csv',
      {
        config: { access: 'viewer' },
        preValidation: async (req) => {
          await requireKpi(store.forWorkspace(req.access.workspace), req.params.id);
        },
        schema: { querystring: kpiQuerySchema },
      },
      async (req, reply) => {
        const w = req.access.workspace;
        const { from, to, grain, by } = req.query;
        const r = await queryKpi(store.forWorkspace(w), { kpi: req.params.id, from, to, grain, by });
        const cols = ['period', ...(r.by ? [r.by] : []), r.kpi];
        const lines = [
          cols.map(csvCell).join(','),
          ...r.rows.map((row) =>
            [row.period, ...(r.by ? [row[r.by]] : []), row.value].map(csvCell).join(','),
          ),
        ];
        const name = `${r.kpi}-${from}-${to}${grain ? `-${grain}` : ''}${by ? `-by-${by}` : ''}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
          .send(`${lines.join('\n')}\n`);
      },
    );
  };
}
