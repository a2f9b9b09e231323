import { z } from 'zod';
import type { Workspace } from './workspace.js';

/** What a share link or a report can show: one of the seeds' boards, or the overview. */
export const SHARE_BOARDS = ['sales', 'saas', 'response', 'overview'] as const;
export type ShareBoard = (typeof SHARE_BOARDS)[number];

/** What a share link's token starts with (`ns_s_` + 24 random bytes in base64url, 37 characters). */
export const SHARE_PREFIX = 'ns_s_';

/** A share link as listed: never its token, which only its creator saw once. */
export interface ShareInfo {
  id: string;
  /** The token's first 10 characters, to tell links apart. */
  prefix: string;
  board: ShareBoard;
  createdAt: Date;
  createdBy: string;
  /** Null: until revoked. Internal links (a PDF being rendered) live a few minutes. */
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What a live share token opens: its workspace and board. */
export interface FoundShare {
  id: string;
  workspace: Workspace;
  board: ShareBoard;
}

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * How a workspace sends its weekly report (docs/reports.md): a board as PDF by e-mail (SMTP) and/or
 * posted to a webhook, on a weekday and hour of the workspace's time zone. The SMTP password is
 * stored with the settings and never given back by a route or command (`password_set` says whether
 * there is one).
 */
export const reportSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  board: z.enum(SHARE_BOARDS).default('sales'),
  weekday: z.enum(WEEKDAYS).default('monday'),
  hour: z.number().int().min(0).max(23).default(8),
  recipients: z.array(z.string().email().max(254)).max(100).default([]),
  webhook: z.string().url().max(2000).nullable().default(null),
  smtp: z
    .strictObject({
      host: z.string().min(1).max(253),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().max(254).nullable().default(null),
      password: z.string().max(1000).nullable().default(null),
      from: z.string().email().max(254),
    })
    .nullable()
    .default(null),
  /** Objective alerts (status changes) go to the recipients by e-mail too. */
  alerts_by_email: z.boolean().default(false),
});
export type ReportSettings = z.infer<typeof reportSettingsSchema>;

/** Settings as stored, with when the last scheduled report went out. */
export interface StoredReportSettings {
  settings: ReportSettings;
  lastSentAt: Date | null;
  updatedAt: Date;
}
