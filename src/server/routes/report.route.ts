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

const SETTINGS_PATCH = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    board: { type: 'string', enum: [...SHARE_BOARDS] },
    weekday: { type: 'string', enum: [...WEEKDAYS] },
    hour: { type: 'integer', minimum: 0, maximum: 23 },
    recipients: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 254 } },
    webhook: { type: ['string', 'null'], maxLength: 2000 },
    smtp: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        host: { type: 'string', maxLength: 253 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        secure: { type: 'boolean' },
        user: { type: ['string', 'null'], maxLength: 254 },
        password: { type: ['string', 'null'], maxLength: 1000 },
        from: { type: 'string', maxLength: 254 },
      },
    },
    alerts_by_email: { type: 'boolean' },
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
      // Shapes here; the use case checks the values whole (e-mail addresses, URLs, the SMTP host).
      { config: { access: 'admin' }, schema: { body: SETTINGS_PATCH } },
      async (req) =>
        putReportSettings(store.forWorkspace(req.access.workspace), req.body, actorOf(req.access)),
    );
    app.post('/api/v1/report/send', { config: { access: 'admin' } }, async (req) =>
      sendReport(store.forWorkspace(req.access.workspace), () => selfUrl(req)),
    );
  };
}
