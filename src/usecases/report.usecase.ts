/**
 * The weekly report (docs/reports.md): its settings (admins), and a send — the board as PDF by e-mail
 * through the workspace's SMTP settings and/or posted to a webhook.
 */
import { UserError } from '../core/errors.js';
import { today } from '../core/time.js';
import { type ReportSettings, reportSettingsSchema } from '../domain/share.js';
import { postWithRetry } from '../goals/alerts.js';
import { sendMail } from '../report/mail.js';
import { reportDue } from '../report/schedule.js';
import type { Store, WorkspaceStore } from '../store/store.js';
import { boardFile } from './exports.usecase.js';

/** The settings as shown: the SMTP password never, only whether one is set. */
export type ShownSettings = Omit<ReportSettings, 'smtp'> & {
  smtp: (Omit<NonNullable<ReportSettings['smtp']>, 'password'> & { password_set: boolean }) | null;
  last_sent: string | null;
};

function shown(s: ReportSettings, lastSent: Date | null): ShownSettings {
  const { smtp, ...rest } = s;
  if (!smtp) return { ...rest, smtp: null, last_sent: lastSent?.toISOString() ?? null };
  const { password, ...open } = smtp;
  return { ...rest, smtp: { ...open, password_set: !!password }, last_sent: lastSent?.toISOString() ?? null };
}

/**
 * The workspace's report settings (defaults until set), without the SMTP password.
 *
 * @example
 * await reportSettings(ws); // { enabled: false, board: 'sales', weekday: 'monday', hour: 8, recipients: [], smtp: null, … }
 */
export async function reportSettings(ws: WorkspaceStore): Promise<ShownSettings> {
  const s = await ws.getReportSettings();
  return shown(s?.settings ?? reportSettingsSchema.parse({}), s?.lastSentAt ?? null);
}

/** A change: any field of the settings; `smtp` fields merge into the stored ones (the password kept unless given). */
export type SettingsPatch = Partial<Omit<ReportSettings, 'smtp'>> & {
  smtp?: Partial<NonNullable<ReportSettings['smtp']>> | null;
};

/**
 * Changes the settings (validated whole), audited without the password.
 *
 * @example
 * await putReportSettings(ws, { enabled: true, recipients: ['ann@x.test'], smtp: { host: 'smtp.x.test', from: 'ns@x.test' } }, 'cli');
 */
export async function putReportSettings(
  ws: WorkspaceStore,
  patch: SettingsPatch,
  actor: string,
): Promise<ShownSettings> {
  const stored = await ws.getReportSettings();
  const before = stored?.settings ?? reportSettingsSchema.parse({});
  const smtp =
    patch.smtp === null
      ? null
      : patch.smtp === undefined
        ? before.smtp
        : { ...(before.smtp ?? {}), ...patch.smtp };
  const parsed = reportSettingsSchema.safeParse({ ...before, ...patch, smtp });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? 'settings';
    throw new UserError(`${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const next = parsed.data;
  if (next.enabled && next.recipients.length > 0 && !next.smtp)
    throw new UserError('e-mail recipients need SMTP settings (--smtp-host, --from)', { field: 'smtp' });
  await ws.putReportSettings(next);
  await ws.audit({
    actor,
    action: 'report_settings',
    entity: 'workspace',
    entityId: ws.workspace.slug,
    before: shown(before, null),
    after: shown(next, null),
  });
  return shown(next, stored?.lastSentAt ?? null);
}

export interface SendResult {
  board: string;
  file: string;
  bytes: number;
  emailed: string[];
  webhook: { ok: boolean; status: number | string } | null;
  sent_at: string;
}

/**
 * Renders the report's board as PDF (Chromium, from the server at `baseUrl`, asked for once the
 * settings are known to be complete) and sends it now: by
 * e-mail to the recipients, and/or to the webhook (JSON with the PDF in base64). Marks it sent.
 *
 * @example
 * await sendReport(ws, 'http://127.0.0.1:8080'); // { board: 'sales', file: 'demo-sales.pdf', emailed: ['ann@x.test'], … }
 */
export async function sendReport(
  ws: WorkspaceStore,
  baseUrl: string | (() => string),
  now = new Date(),
): Promise<SendResult> {
  const s = (await ws.getReportSettings())?.settings;
  if (!s || (s.recipients.length === 0 && !s.webhook))
    throw new UserError(
      'nowhere to send the report: set recipients (with SMTP) or a webhook with `report settings`',
    );
  if (s.recipients.length > 0 && !s.smtp)
    throw new UserError('e-mail recipients need SMTP settings (`report settings --smtp-host … --from …`)');
  const file = await boardFile(
    ws,
    { board: s.board, format: 'pdf' },
    typeof baseUrl === 'string' ? baseUrl : baseUrl(),
  );
  const w = ws.workspace;
  const day = today(w.timezone, now);
  const subject = `Northstar weekly report: ${w.name}, ${s.board} board (${day})`;
  const text = `The ${s.board} board of ${w.name} as of ${day} (${w.timezone}) is attached as PDF (this quarter to date, as the dashboard shows it).`;
  let emailed: string[] = [];
  if (s.smtp && s.recipients.length > 0)
    emailed = (
      await sendMail(s.smtp, {
        to: s.recipients,
        subject,
        text,
        attachments: [{ filename: file.name, content: file.bytes, contentType: file.type }],
      })
    ).accepted;
  let webhook: SendResult['webhook'] = null;
  if (s.webhook) {
    const r = await postWithRetry(s.webhook, {
      text: subject,
      workspace: w.slug,
      board: s.board,
      as_of: day,
      file: { name: file.name, type: file.type, base64: file.bytes.toString('base64') },
    });
    webhook = { ok: r.ok, status: r.last };
  }
  await ws.markReportSent(now);
  return {
    board: s.board,
    file: file.name,
    bytes: file.bytes.length,
    emailed,
    webhook,
    sent_at: now.toISOString(),
  };
}

/**
 * Sends every workspace's report that is due at `now` (the server's schedule); a failure is reported
 * per workspace and does not stop the others.
 */
export async function sendDueReports(
  store: Store,
  baseUrl: string,
  now = new Date(),
): Promise<Array<{ workspace: string; ok: boolean; error?: string }>> {
  const out: Array<{ workspace: string; ok: boolean; error?: string }> = [];
  for (const w of await store.listWorkspaces()) {
    const ws = store.forWorkspace(w);
    const stored = await ws.getReportSettings();
    if (!stored?.settings.enabled) continue;
    const { weekday, hour } = stored.settings;
    if (!reportDue(now, stored.lastSentAt, weekday, hour, w.timezone)) continue;
    try {
      await sendReport(ws, baseUrl, now);
      out.push({ workspace: w.slug, ok: true });
    } catch (e) {
      // Marked sent all the same: a broken SMTP setting must not retry every few minutes all day.
      await ws.markReportSent(now);
      out.push({ workspace: w.slug, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
