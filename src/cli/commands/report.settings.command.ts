import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Store, WorkspaceStore } from '../../store/store.js';
import {
  putReportSettings,
  reportSettings,
  type SettingsPatch,
  sendReport,
} from '../../usecases/report.usecase.js';
import { onWorkspace, send } from '../backend.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

type OwnServer = <T>(
  rt: Runtime,
  slug: string,
  fn: (ws: WorkspaceStore, baseUrl: string, store: Store) => Promise<T>,
) => Promise<T>;

interface SettingsOptions {
  workspace: string;
  format?: string;
  enable?: boolean;
  disable?: boolean;
  board?: string;
  weekday?: string;
  hour?: string;
  to?: string;
  webhook?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpSecure?: boolean;
  smtpUser?: string;
  smtpPasswordStdin?: boolean;
  from?: string;
  noSmtp?: boolean;
  alertsByEmail?: string;
}

function int(v: string, flag: string): number {
  if (!/^\d+$/.test(v)) throw new UserError(`${flag} must be a whole number`, { field: flag });
  return Number(v);
}

/** The settings change the flags ask for (nothing given: none). */
async function patchOf(rt: Runtime, o: SettingsOptions): Promise<SettingsPatch> {
  const p: SettingsPatch = {};
  if (o.enable && o.disable) throw new UserError('--enable or --disable, not both');
  if (o.enable) p.enabled = true;
  if (o.disable) p.enabled = false;
  if (o.board !== undefined) p.board = o.board as SettingsPatch['board'];
  if (o.weekday !== undefined) p.weekday = o.weekday.toLowerCase() as SettingsPatch['weekday'];
  if (o.hour !== undefined) p.hour = int(o.hour, '--hour');
  if (o.to !== undefined)
    p.recipients = o.to
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (o.webhook !== undefined) p.webhook = o.webhook === 'none' ? null : o.webhook;
  if (o.alertsByEmail !== undefined) {
    if (o.alertsByEmail !== 'on' && o.alertsByEmail !== 'off')
      throw new UserError('--alerts-by-email must be on or off', { field: '--alerts-by-email' });
    p.alerts_by_email = o.alertsByEmail === 'on';
  }
  if (o.noSmtp) p.smtp = null;
  else {
    const smtp: NonNullable<SettingsPatch['smtp']> = {};
    if (o.smtpHost !== undefined) smtp.host = o.smtpHost;
    if (o.smtpPort !== undefined) smtp.port = int(o.smtpPort, '--smtp-port');
    if (o.smtpSecure !== undefined) smtp.secure = o.smtpSecure;
    if (o.smtpUser !== undefined) smtp.user = o.smtpUser;
    if (o.from !== undefined) smtp.from = o.from;
    // From standard input, never an argument: arguments show in `ps` and shell history.
    if (o.smtpPasswordStdin) smtp.password = (await rt.stdin()).replace(/\r?\n$/, '');
    if (Object.keys(smtp).length > 0) p.smtp = smtp;
  }
  return p;
}

/** `report settings` (shown, or changed by flags) and `report send --now`. */
export function registerReportSettings(report: Command, rt: Runtime, withOwnServer: OwnServer): void {
  report
    .command('settings')
    .description('the weekly report: a board as PDF by e-mail (SMTP) or to a webhook, on a weekday and hour')
    .option('--enable', 'send it every week')
    .option('--disable', 'stop sending it')
    .option('--board <board>', 'sales, saas, response or overview')
    .option('--weekday <day>', 'monday … sunday, in the workspace time zone')
    .option('--hour <h>', '0-23, in the workspace time zone')
    .option('--to <emails>', 'recipients, comma-separated')
    .option('--webhook <url>', 'also post it (JSON, the PDF in base64) to this URL; none: no webhook')
    .option('--smtp-host <host>', 'SMTP server')
    .option('--smtp-port <port>', 'SMTP port (default 587)')
    .option('--smtp-secure', 'TLS from the start (port 465); else STARTTLS when offered')
    .option('--smtp-user <user>', 'SMTP user name')
    .option('--smtp-password-stdin', 'read the SMTP password from standard input')
    .option('--from <email>', 'the From address')
    .option('--no-smtp', 'forget the SMTP settings')
    .option('--alerts-by-email <on|off>', 'objective alerts by e-mail to the recipients too')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: SettingsOptions & { smtp?: boolean }) => {
      const format = pickFormat(rt, o.format);
      const opts = { ...o, noSmtp: o.smtp === false };
      const patch = await patchOf(rt, opts);
      const r =
        Object.keys(patch).length === 0
          ? await onWorkspace(rt, o.workspace, (ws) => reportSettings(ws), {
              method: 'GET',
              path: '/api/v1/report/settings',
            })
          : await onWorkspace(rt, o.workspace, (ws) => putReportSettings(ws, patch, 'cli'), {
              method: 'PUT',
              path: '/api/v1/report/settings',
              body: patch,
            });
      rt.out(
        render(format, r, [
          { ...r, recipients: r.recipients.join(','), smtp: r.smtp ? `${r.smtp.host}:${r.smtp.port}` : null },
        ]),
      );
    });
  report
    .command('send')
    .description(
      'sends the weekly report now (a test send): the board as PDF by e-mail and/or to the webhook',
    )
    .requiredOption('--now', 'now, whatever the schedule says')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const r = rt.server
        ? ((await (
            await send(rt, o.workspace, { method: 'POST', path: '/api/v1/report/send' })
          ).json()) as Awaited<ReturnType<typeof sendReport>>)
        : await withOwnServer(rt, o.workspace, (ws, baseUrl) => sendReport(ws, baseUrl));
      rt.out(render(format, r, [{ ...r, emailed: r.emailed.join(','), webhook: r.webhook?.status ?? null }]));
    });
}
