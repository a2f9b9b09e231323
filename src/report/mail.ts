/**
 * E-mail through the workspace's SMTP settings (nodemailer): the weekly report with its PDF, and
 * objective alerts. One transport per send: settings can change between two sends.
 */
import nodemailer from 'nodemailer';
import { UserError } from '../core/errors.js';
import type { ReportSettings } from '../domain/share.js';

export type SmtpSettings = NonNullable<ReportSettings['smtp']>;

export interface Mail {
  to: readonly string[];
  subject: string;
  text: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/**
 * Sends one message; a refusal or an unreachable server rejects with its reason.
 *
 * @example
 * await sendMail({ host: 'smtp.example.com', port: 587, secure: false, user: 'u', password: 'p', from: 'ns@example.com' },
 *   { to: ['ann@example.com'], subject: 'Weekly report', text: '…' }); // { accepted: ['ann@example.com'] }
 */
export async function sendMail(smtp: SmtpSettings, mail: Mail): Promise<{ accepted: string[] }> {
  if (mail.to.length === 0) throw new UserError('no recipients: set them with `report settings --to`');
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: [...mail.to],
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments ?? [],
    });
    return {
      accepted: (info.accepted as Array<string | { address: string }>).map((a) =>
        typeof a === 'string' ? a : a.address,
      ),
    };
  } finally {
    transport.close();
  }
}
