/**
 * GA4's BigQuery event export (`events_YYYYMMDD` rows, exported as newline-delimited JSON) as
 * Segment-spec messages: `page_view` → page, every other event → track with the GA4 event name.
 * The event's own traffic source (collected_traffic_source, else the source/medium/campaign event
 * params) is the message's campaign; `traffic_source` is the user's first touch and is only kept in
 * context. GA4 rows have no id, so the messageId is a hash of what identifies the row.
 */
import { createHash } from 'node:crypto';
import type { EventsPreset, MessageResult } from './preset.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null;

/** BigQuery writes INT64 as JSON strings; FLOAT64 as numbers. */
function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

/**
 * `event_params` (`[{key, value: {string_value, int_value, float_value, double_value}}]`) → a plain
 * object.
 *
 * @example
 * flattenParams([{ key: 'ga_session_id', value: { int_value: '1710400000' } }]); // { ga_session_id: 1710400000 }
 */
export function flattenParams(params: unknown): Json {
  const out: Json = {};
  if (!Array.isArray(params)) return out;
  for (const p of params) {
    const o = obj(p);
    const key = str(o?.key);
    const value = obj(o?.value);
    if (!key || !value) continue;
    const v =
      str(value.string_value) ??
      num(value.int_value) ??
      num(value.double_value) ??
      num(value.float_value) ??
      null;
    if (v !== null) out[key] = v;
  }
  return out;
}

function defined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** A stable id for a GA4 row: the same row exported twice gets the same id. */
function messageIdOf(row: Json): string {
  const parts = [
    row.user_pseudo_id,
    row.user_id,
    row.event_timestamp,
    row.event_name,
    row.event_bundle_sequence_id,
    row.batch_event_index,
    row.batch_page_id,
    row.batch_ordering_id,
    row.stream_id,
    row.event_params,
  ];
  return `ga4-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/**
 * One GA4 export row → a Segment message.
 *
 * @example
 * ga4ToMessage({ event_name: 'page_view', event_timestamp: '1773480000000000', user_pseudo_id: '123.456',
 *   event_params: [{ key: 'page_location', value: { string_value: 'https://acme.com/?utm_source=x' } }] });
 * // { ok: true, message: { type: 'page', anonymousId: '123.456', timestamp: '2026-03-14T09:20:00.000Z', … } }
 */
export function ga4ToMessage(row: Readonly<Json>): MessageResult {
  const name = str(row.event_name);
  if (!name) return { ok: false, issues: [{ column: 'event_name', reason: 'is required' }] };
  const micros = num(row.event_timestamp);
  if (micros === null) {
    const reason = 'must be microseconds since 1970 (INT64)';
    return { ok: false, issues: [{ column: 'event_timestamp', reason }] };
  }
  const params = flattenParams(row.event_params);
  const collected = obj(row.collected_traffic_source) ?? {};
  const campaign = defined({
    source: str(collected.manual_source) ?? str(params.source),
    medium: str(collected.manual_medium) ?? str(params.medium),
    name: str(collected.manual_campaign_name) ?? str(params.campaign),
    term: str(collected.manual_term) ?? str(params.term),
    content: str(collected.manual_content) ?? str(params.content),
  });
  const url = str(params.page_location);
  const page: Json = defined({
    url,
    referrer: str(params.page_referrer),
    title: str(params.page_title),
  });
  // A gclid GA4 collected but the URL does not show: give it to click-id detection via `search`.
  const gclid = str(collected.gclid);
  if (gclid && url && !/[?&]gclid=/i.test(url)) {
    const q = url.includes('?') ? url.slice(url.indexOf('?')).replace(/#.*$/, '') : '';
    page.search = `${q || '?'}${q.length > 1 ? '&' : ''}gclid=${encodeURIComponent(gclid)}`;
  }
  const ecommerce = obj(row.ecommerce) ?? {};
  const properties: Json = { ...params };
  const revenue = num(ecommerce.purchase_revenue) ?? (name === 'purchase' ? num(params.value) : null);
  if (revenue !== null) properties.revenue = revenue;
  if (str(ecommerce.transaction_id)) properties.order_id = ecommerce.transaction_id;
  const context: Json = {
    ...(Object.keys(page).length ? { page } : {}),
    ...(Object.keys(campaign).length ? { campaign } : {}),
    ga4: defined({
      event_date: row.event_date,
      stream_id: row.stream_id,
      platform: row.platform,
      device: row.device,
      geo: row.geo,
      traffic_source: row.traffic_source,
      user_first_touch_timestamp: row.user_first_touch_timestamp,
    }),
  };
  const page_view = name === 'page_view';
  return {
    ok: true,
    message: defined({
      type: page_view ? 'page' : 'track',
      event: page_view ? null : name,
      name: page_view ? str(params.page_title) : null,
      messageId: messageIdOf(row as Json),
      userId: str(row.user_id),
      anonymousId: str(row.user_pseudo_id),
      timestamp: new Date(Math.floor(micros / 1000)).toISOString(),
      properties,
      context,
    }),
  };
}

export const GA4_BIGQUERY: EventsPreset = {
  name: 'ga4-bigquery',
  kind: 'events',
  format: 'ndjson',
  description: "GA4's BigQuery event export as NDJSON (event_name, event_timestamp, event_params, …)",
  toMessage: ga4ToMessage,
  linksIds: true,
};
