import { z } from 'zod';
import { type KeyKind, SLUG_RE } from '../core/ids.js';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const conditionSchema = z.union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1)]);

/**
 * A custom channel rule, evaluated in order before GA4's default groups (first match wins). Each
 * condition is an exact value (case-insensitive), a `/regex/`, or a list of either (any matches).
 */
export const channelRuleSchema = z.strictObject({
  channel: z.string().trim().min(1).max(80),
  when: z.strictObject({
    source: conditionSchema.optional(),
    medium: conditionSchema.optional(),
    campaign: conditionSchema.optional(),
    referrer: conditionSchema.optional(),
    clickIdType: conditionSchema.optional(),
  }),
});
export const channelRulesSchema = z.array(channelRuleSchema).max(200);
export type ChannelRule = z.infer<typeof channelRuleSchema>;

/** Which tracked events count as which conversion; per workspace, with defaults the demo uses. */
export const keyEventsSchema = z.object({
  lead: z.array(z.string()).default(['Form Submitted', 'Signed Up']),
  bofu: z
    .array(z.string())
    .default([
      'Demo Requested',
      'Quote Requested',
      'Consultation Requested',
      'Assessment Requested',
      'Meeting Booked',
    ]),
  trial: z.array(z.string()).default(['Trial Started']),
  pql: z.array(z.string()).default(['Product Qualified']),
  subscribe: z.array(z.string()).default(['Newsletter Subscribed']),
});
export type KeyEvents = z.infer<typeof keyEventsSchema>;

export const workspaceSettingsSchema = z.object({
  channelRules: channelRulesSchema.default([]),
  keyEvents: keyEventsSchema.default(keyEventsSchema.parse({})),
  webhooks: z.array(z.string().url()).default([]),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  /** IANA time zone; dates in KPIs and plans are local to it. */
  timezone: string;
  /** ISO 4217 code; every amount in the workspace is in it. */
  currency: string;
  settings: WorkspaceSettings;
  createdAt: Date;
}

export const newWorkspaceSchema = z.object({
  slug: z.string().regex(SLUG_RE, 'lowercase letters, digits and dashes'),
  name: z.string().min(1).optional(),
  timezone: z
    .string()
    .default('UTC')
    .refine((tz) => isValidTimeZone(tz), 'an IANA time zone such as Europe/Warsaw'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as EUR')
    .default('USD'),
});
export type NewWorkspace = z.input<typeof newWorkspaceSchema>;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
}

export interface ApiKeyInfo {
  id: string;
  kind: KeyKind;
  /** An API token's role (editor or admin); null for write and read keys. */
  role: Role | null;
  /** First characters of the key, to tell keys apart; the key itself is stored only hashed. */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  /** When a request last used it (kept to the minute; null: never). */
  lastUsedAt: Date | null;
}
