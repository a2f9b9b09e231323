/**
 * Per-row validation of the generic columns with zod. Fields arrive as text (blank cells already
 * left out); each schema reads them into typed values or reports the column and why. Built per
 * import, since dates depend on the workspace's time zone and on the preset's date spellings.
 */
import { z } from 'zod';
import { MAX_DATE, MIN_DATE } from '../../core/time.js';
import { EMAIL_EVENT_TYPES, SOCIAL_METRICS } from '../../domain/crm.js';
import type { CellIssue } from './records.js';
import {
  parseAmount,
  parseBool,
  parseCount,
  parseEmail,
  parseInstantText,
  parseLocalDate,
  parseNumber,
  type ValueContext,
} from './values.js';

const clip = (v: string) => (v.length > 60 ? `${v.slice(0, 57)}...` : v);
const REQUIRED = { error: 'is required' };

function text(max = 500) {
  return z.string(REQUIRED).max(max, `is longer than ${max} characters`);
}

/** Names the accepted range when a value looks like a date in a year outside it. */
function rangeHint(v: string): string {
  const year = /^\s*(\d{4})-/.exec(v)?.[1] ?? /\/(\d{4})\b/.exec(v)?.[1];
  const y = Number(year);
  return year && (y < Number(MIN_DATE.slice(0, 4)) || y > Number(MAX_DATE.slice(0, 4)))
    ? ` from ${MIN_DATE} to ${MAX_DATE}`
    : '';
}

function instant(ctx: ValueContext) {
  const hint = ctx.dates === 'iso' ? 'ISO 8601, e.g. 2026-03-14 or 2026-03-14T09:30:00Z' : 'e.g. 3/14/2026';
  return z.string(REQUIRED).transform((v, c) => {
    const d = parseInstantText(v, ctx);
    if (!d) {
      c.addIssue(`must be a date or time (${hint})${rangeHint(v)}, got "${clip(v)}"`);
      return z.NEVER;
    }
    return d;
  });
}

function localDate(ctx: ValueContext) {
  const hint = ctx.dates === 'iso' ? 'YYYY-MM-DD' : 'e.g. 2026-03-14 or 3/14/2026';
  return z.string(REQUIRED).transform((v, c) => {
    const d = parseLocalDate(v, ctx.dates);
    if (!d) {
      c.addIssue(`must be a date (${hint})${rangeHint(v)}, got "${clip(v)}"`);
      return z.NEVER;
    }
    return d;
  });
}

const email = z.string(REQUIRED).transform((v, c) => {
  const e = parseEmail(v);
  if (!e) {
    c.addIssue(`must be an e-mail address, got "${clip(v)}"`);
    return z.NEVER;
  }
  return e;
});

const amount = z.string(REQUIRED).transform((v, c) => {
  const a = parseAmount(v);
  if (!a) {
    c.addIssue(`must be a number such as 1234.50, got "${clip(v)}"`);
    return z.NEVER;
  }
  if (a.value < 0) {
    c.addIssue(`must not be negative, got ${a.value}`);
    return z.NEVER;
  }
  return a;
});

const count = z.string().transform((v, c) => {
  const n = parseCount(v);
  if (n === null) {
    c.addIssue(`must be a whole number >= 0, got "${clip(v)}"`);
    return z.NEVER;
  }
  return n;
});

const number = z.string(REQUIRED).transform((v, c) => {
  const n = parseNumber(v);
  if (n === null) {
    c.addIssue(`must be a number, got "${clip(v)}"`);
    return z.NEVER;
  }
  return n;
});

const bool = z.string().transform((v, c) => {
  const b = parseBool(v);
  if (b === null) {
    c.addIssue(`must be true/false, 1/0 or yes/no, got "${clip(v)}"`);
    return z.NEVER;
  }
  return b;
});

const currency = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as USD'));

function oneOf<T extends string>(values: readonly T[], what: string) {
  return z.string(REQUIRED).transform((v, c) => {
    const s = v.trim().toLowerCase();
    if (!(values as readonly string[]).includes(s)) {
      c.addIssue(`unknown ${what} "${clip(v)}" (${values.join(', ')})`);
      return z.NEVER;
    }
    return s as T;
  });
}

/**
 * The schemas of one import (dates read in `ctx.tz`, with the preset's date spellings).
 *
 * @example
 * const schemas = rowSchemas({ tz: 'Europe/Warsaw', dates: 'iso' });
 * schemas.social.parse({ date: '2026-03-01', network: 'linkedin', metric: 'posts', value: '3' });
 */
export function rowSchemas(ctx: ValueContext) {
  const at = instant(ctx);
  return {
    contacts: z.object({
      id: text(200).optional(),
      email: email.optional(),
      first_name: text().optional(),
      last_name: text().optional(),
      company: text().optional(),
      industry: text().optional(),
      job_title: text().optional(),
      company_size: text(100).optional(),
      country: text(100).optional(),
      market: text(100).optional(),
      // Read by the contacts kind: a stage it cannot map is kept (a warning), not a bad row.
      lifecycle_stage: text(200).optional(),
      original_source: text().optional(),
      owner: text().optional(),
      created_at: at.optional(),
      subscriber_at: at.optional(),
      lead_at: at.optional(),
      mql_at: at.optional(),
      sal_at: at.optional(),
      sql_at: at.optional(),
      opportunity_at: at.optional(),
      customer_at: at.optional(),
    }),
    deals: z.object({
      id: text(200),
      contact_id: text(200).optional(),
      contact_email: email.optional(),
      name: text().optional(),
      // Open and lost deals often have none: stored without an amount.
      amount: amount.optional(),
      currency: currency.optional(),
      stage: text(200),
      pipeline: text().optional(),
      owner: text().optional(),
      created_at: at,
      closed_at: at.optional(),
      won: bool.optional(),
      company_id: text(200).optional(),
    }),
    spend: z.object({
      date: localDate(ctx),
      channel: text(80).optional(),
      source: text(200).optional(),
      medium: text(200).optional(),
      campaign: text().optional(),
      cost: amount,
      currency: currency.optional(),
      impressions: count.optional(),
      clicks: count.optional(),
      reach: count.optional(),
    }),
    email: z.object({
      timestamp: at,
      email,
      contact_id: text(200).optional(),
      campaign: text().optional(),
      type: oneOf(EMAIL_EVENT_TYPES, 'e-mail event type'),
    }),
    social: z.object({
      date: localDate(ctx),
      network: text(100),
      metric: oneOf(SOCIAL_METRICS, 'metric'),
      value: number,
    }),
  };
}
export type RowSchemas = ReturnType<typeof rowSchemas>;
export type ContactInput = z.output<RowSchemas['contacts']>;
export type DealInput = z.output<RowSchemas['deals']>;
export type SpendInput = z.output<RowSchemas['spend']>;
export type EmailInput = z.output<RowSchemas['email']>;
export type SocialInput = z.output<RowSchemas['social']>;

/**
 * Runs a schema on a row's fields: the typed value, or one issue per bad column (named as in the
 * file through `columnOf`).
 *
 * @example
 * validate(schemas.social, { date: '2026-03-01', network: 'linkedin', metric: 'likes', value: '4' }, (f) => f);
 * // { ok: false, issues: [{ column: 'metric', reason: 'unknown metric "likes" (posts, …)' }] }
 */
export function validate<S extends z.ZodType>(
  schema: S,
  fields: Record<string, string>,
  columnOf: (field: string) => string,
): { ok: true; value: z.output<S> } | { ok: false; issues: CellIssue[] } {
  const r = schema.safeParse(fields);
  if (r.success) return { ok: true, value: r.data };
  const seen = new Set<string>();
  const issues: CellIssue[] = [];
  for (const i of r.error.issues) {
    const field = String(i.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    issues.push({ column: field ? columnOf(field) : '(row)', reason: i.message });
  }
  return { ok: false, issues };
}
