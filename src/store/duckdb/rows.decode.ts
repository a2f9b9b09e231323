/**
 * The one decoder per stored row type: a row of `SELECT * FROM @contacts | @deals | @sessions` (DuckDB
 * column names) → the domain record. Every reader of these tables (the store, the imports' batched
 * lookups, the tracker resuming open visits) decodes through these, so a new column is added once.
 */
import type { ContactRow, DealRow, LifecycleStage } from '../../domain/crm.js';
import type { SessionRow } from '../../domain/event.js';
import type { Row } from '../store.js';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const ts = (v: unknown): Date | null => (v instanceof Date ? v : null);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = (v: unknown): Record<string, unknown> =>
  v === null || v === undefined ? {} : (JSON.parse(String(v)) as Record<string, unknown>);

/**
 * A `contacts` row → ContactRow.
 *
 * @example
 * const [row] = await ws.query('SELECT * FROM @contacts WHERE id = $id', { id });
 * if (row) decodeContact(row).leadAt;
 */
export function decodeContact(r: Row): ContactRow {
  return {
    id: String(r.id),
    email: str(r.email),
    firstName: str(r.first_name),
    lastName: str(r.last_name),
    company: str(r.company),
    industry: str(r.industry),
    jobTitle: str(r.job_title),
    companySize: str(r.company_size),
    country: str(r.country),
    market: str(r.market),
    lifecycleStage: (r.lifecycle_stage as LifecycleStage | null | undefined) ?? null,
    originalSource: str(r.original_source),
    owner: str(r.owner),
    createdAt: r.created_at as Date,
    subscriberAt: ts(r.subscriber_at),
    leadAt: ts(r.lead_at),
    mqlAt: ts(r.mql_at),
    salAt: ts(r.sal_at),
    sqlAt: ts(r.sql_at),
    opportunityAt: ts(r.opportunity_at),
    customerAt: ts(r.customer_at),
    properties: json(r.properties),
  };
}

/**
 * A `deals` row → DealRow.
 *
 * @example
 * decodeDeal((await ws.query('SELECT * FROM @deals LIMIT 1'))[0]!).amount;
 */
export function decodeDeal(r: Row): DealRow {
  return {
    id: String(r.id),
    contactId: str(r.contact_id),
    name: str(r.name),
    amount: num(r.amount),
    currency: String(r.currency),
    stage: String(r.stage),
    pipeline: str(r.pipeline),
    owner: str(r.owner),
    createdAt: r.created_at as Date,
    closedAt: ts(r.closed_at),
    won: r.won === null || r.won === undefined ? null : Boolean(r.won),
    properties: json(r.properties),
  };
}

/**
 * A `sessions` row → SessionRow.
 *
 * @example
 * (await ws.query('SELECT * FROM @sessions')).map(decodeSession);
 */
export function decodeSession(r: Row): SessionRow {
  return {
    sessionId: String(r.session_id),
    anonymousId: str(r.anonymous_id),
    userId: str(r.user_id),
    startedAt: r.started_at as Date,
    endedAt: r.ended_at as Date,
    events: Number(r.events),
    pageViews: Number(r.page_views),
    channel: String(r.channel),
    source: str(r.source),
    medium: str(r.medium),
    campaign: str(r.campaign),
    term: str(r.term),
    content: str(r.content),
    referrer: str(r.referrer),
    landingPath: str(r.landing_path),
  };
}
