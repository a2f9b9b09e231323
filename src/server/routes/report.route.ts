import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import {
  putReportSettings,
  reportSettings,
  type SettingsPatch,
  sendReport,
} from '../../usecases/report.usecase.js';
import { actorOf } from '../access.js';
import { selfUrl } from './share.route.js';

/** The fields of a settings patch (reportSettingsSchema in domain/share.ts) and their types, no others. */
const SETTINGS_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    board: { type: 'string' },
    weekday: { type: 'string' },
    hour: { type: 'integer' },
    recipients: { type: 'array', items: { type: 'string' } },
    webhook: { type: ['string', 'null'] },
    alerts_by_email: { type: 'boolean' },
    smtp: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        host: { type: 'string' },
        port: { type: 'integer' },
        secure: { type: 'boolean' },
        user: { type: ['string', 'null'] },
        password: { type: ['string', 'null'] },
        from: { type: 'string' },
      },
    },
  },
} as const;

/**
 * The weekly report (docs/reports.md), admins only: `GET|PUT /api/v1/report/settings` (SMTP, webhook,
 * recipients, weekday and hour; the password is never answered) and `POST /api/v1/report/send` (now).
 */
export function reportRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/report/settings', { config: { access: 'admin' } }, async (req) =>
      reportSettings(store.forWorkspace(req.access.workspace)),
    );
    app.put<{ Body: SettingsPatch }>(
      '/api/v1/report/settings',
      // Values are validated whole by the use case; the schema names the fields so that an unknown
      // one is refused here too (strict.body.ts refuses to start a server with a lax body schema).
      { config: { access: 'admin' }, schema: { body: SETTINGS_BODY } },
      async (req) =>
        putReportSettings(store.forWorkspace(req.access.workspace), req.body, actorOf(req.access)),
    );
    app.post('/api/v1/report/send', { config: { access: 'admin' } }, async (req) =>
      sendReport(store.forWorkspace(req.access.workspace), () => selfUrl(req)),
    );
  };
}
