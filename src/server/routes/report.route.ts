import type { FastifyInstance } from 'fastify';
import { SHARE_BOARDS, WEEKDAYS } from '../../domain/share.js';
import type { Store } from '../../store/store.js';
import {
  putReportSettings,
  reportSettings,
  type SettingsPatch,
  sendReport,
} from '../../usecases/report.usecase.js';
import { actorOf } from '../access.js';
import { selfUrl } from './share.route.js';

/** The body of `PUT /api/v1/report/settings`: the fields of ReportSettings, each optional. */
const SETTINGS_PATCH = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    board: { type: 'string', enum: [...SHARE_BOARDS] },
    weekday: { type: 'string', enum: [...WEEKDAYS] },
    hour: { type: 'integer' },
    recipients: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 254 } },
    webhook: { type: ['string', 'null'], maxLength: 2000 },
    smtp: {
      type: ['object', 'null'],
      properties: {
        host: { type: 'string', maxLength: 253 },
        port: { type: 'integer' },
        secure: { type: 'boolean' },
        user: { type: ['string', 'null'], maxLength: 254 },
        password: { type: ['string', 'null'], maxLength: 1000 },
        from: { type: 'string', maxLength: 254 },
      },
      additionalProperties: false,
    },
    alerts_by_email: { type: 'boolean' },
  },
  additionalProperties: false,
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
      // A patch: every field optional, unknown ones refused by name here (strict.body.ts); the values
      // are validated whole by the use case once merged with the stored settings.
      { config: { access: 'admin' }, schema: { body: SETTINGS_PATCH } },
      async (req) =>
        putReportSettings(store.forWorkspace(req.access.workspace), req.body, actorOf(req.access)),
    );
    app.post('/api/v1/report/send', { config: { access: 'admin' } }, async (req) =>
      sendReport(store.forWorkspace(req.access.workspace), () => selfUrl(req)),
    );
  };
}
