/**
 * What a message says about where the visitor came from, read from where the Segment libraries put
 * it: `context.campaign` (analytics.js parses the landing URL's utm_* into it), the page URL itself,
 * `context.page.referrer` (or `properties.referrer` on page calls, `context.referrer.url` on mobile).
 */

/** The five campaign dimensions; blank values are null. */
export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

/** Everything about a message's origin, as sent (no inference yet: see traffic-source.ts). */
export interface TouchInfo extends Utm {
  /** The first click id found, in CLICK_ID_PARAMS order, and its parameter name (lower case). */
  clickIdType: string | null;
  clickId: string | null;
  referrer: string | null;
  url: string | null;
  path: string | null;
  /** Hosts of the referrer and the page (see hostOf), parsed once for the later steps. */
  referrerHost: string | null;
  pageHost: string | null;
}

/**
 * Ad-platform click ids, in the order they are looked for (paid-search ids first, so a Google Ads
 * link shared on Facebook still reads as the ad click it was).
 */
export const CLICK_ID_PARAMS = [
  'gclid', // Google Ads
  'gbraid', // Google Ads, iOS app-to-web
  'wbraid', // Google Ads, iOS web-to-app
  'dclid', // Google Campaign Manager / DV360
  'msclkid', // Microsoft Advertising
  'yclid', // Yandex Direct
  'fbclid', // Meta: added to every outbound link, paid or not
  'ttclid', // TikTok Ads
  'li_fat_id', // LinkedIn Ads
  'twclid', // X (Twitter) Ads
  'epik', // Pinterest Ads
  'rdt_cid', // Reddit Ads
  'sccid', // Snapchat Ads (sent as ScCid)
  'irclickid', // impact.com affiliate links
] as const;
export type ClickIdType = (typeof CLICK_ID_PARAMS)[number];

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A trimmed string (numbers accepted: `utm_campaign=2024` may arrive as a number), or null. */
function text(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
}

/** scheme://authority path ?query (#fragment ignored); WHATWG `new URL` costs ~5 µs an event. */
const ABSOLUTE_URL_RE = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i;
const RELATIVE_URL_RE = /^([^?#]*)(\?[^#]*)?/;
const HOST_RE = /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$|^\[[0-9a-f:.]+\]$/;

interface UrlParts {
  /** Lower case, without `www.` and port; null for relative or malformed URLs. */
  host: string | null;
  path: string | null;
  search: string;
}

/** Splits a URL without full WHATWG parsing: enough for host, path and query parameters. */
function splitUrl(url: string): UrlParts {
  const abs = ABSOLUTE_URL_RE.exec(url);
  if (abs) {
    const authority = abs[1] ?? '';
    let host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
    if (!host.startsWith('[')) host = host.replace(/:\d*$/, '');
    if (!HOST_RE.test(host)) return { host: null, path: null, search: '' };
    if (host.startsWith('www.')) host = host.slice(4);
    return { host, path: abs[2] || '/', search: abs[3] ?? '' };
  }
  const rel = RELATIVE_URL_RE.exec(url);
  const path = rel?.[1] ?? '';
  return { host: null, path: path.startsWith('/') ? path : null, search: rel?.[2] ?? '' };
}

/**
 * The host of a URL in lower case without `www.` or port, or null.
 *
 * @example
 * hostOf('https://www.Google.com/search?q=x'); // 'google.com'
 * hostOf('/pricing'); // null
 */
export function hostOf(url: string | null): string | null {
  return url ? splitUrl(url).host : null;
}

/** URL query parameters by lower-case name (first value wins), so `ScCid` and `UTM_SOURCE` count. */
const NO_PARAMS: ReadonlyMap<string, string> = new Map();

function queryParams(search: string): ReadonlyMap<string, string> {
  if (search.length <= 1) return NO_PARAMS;
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(search)) {
    const key = k.toLowerCase();
    const value = v.trim();
    if (value !== '' && !out.has(key)) out.set(key, value);
  }
  return out;
}

/**
 * Reads the campaign, click id, referrer, URL and path of a message.
 * `context.campaign` wins field by field over the URL's `utm_*` (they normally agree; the context
 * is what the client decided to send). Segment's `campaign.name` is the campaign.
 *
 * @example
 * extractTouch({
 *   context: {
 *     campaign: { name: 'spring', source: 'newsletter', medium: 'email' },
 *     page: { url: 'https://acme.com/pricing?gclid=abc', referrer: 'https://www.google.com/' },
 *   },
 * });
 * // { source: 'newsletter', medium: 'email', campaign: 'spring', term: null, content: null,
 * //   clickIdType: 'gclid', clickId: 'abc', referrer: 'https://www.google.com/',
 * //   url: 'https://acme.com/pricing?gclid=abc', path: '/pricing',
 * //   referrerHost: 'google.com', pageHost: 'acme.com' }
 */
export function extractTouch(message: {
  properties?: Record<string, unknown> | null;
  context?: Record<string, unknown> | null;
}): TouchInfo {
  const props = message.properties ?? {};
  const context = message.context ?? {};
  const page = obj(context.page) ?? {};
  const mobileReferrer = obj(context.referrer) ?? {};
  const campaign = obj(context.campaign) ?? {};

  const url = text(page.url) ?? text(props.url);
  const parts = url ? splitUrl(url) : null;
  const search = text(page.search) ?? text(props.search) ?? parts?.search ?? '';
  const query = queryParams(search);

  let clickIdType: string | null = null;
  let clickId: string | null = null;
  if (query.size > 0) {
    for (const param of CLICK_ID_PARAMS) {
      const value = query.get(param);
      if (value) {
        clickIdType = param;
        clickId = value;
        break;
      }
    }
  }

  const referrer =
    text(page.referrer) ?? text(props.referrer) ?? text(mobileReferrer.url) ?? text(mobileReferrer.link);
  const path = text(page.path) ?? text(props.path) ?? parts?.path ?? null;
  return {
    source: text(campaign.source) ?? query.get('utm_source') ?? null,
    medium: text(campaign.medium) ?? query.get('utm_medium') ?? null,
    campaign: text(campaign.name) ?? text(campaign.campaign) ?? query.get('utm_campaign') ?? null,
    term: text(campaign.term) ?? query.get('utm_term') ?? null,
    content: text(campaign.content) ?? query.get('utm_content') ?? null,
    clickIdType,
    clickId,
    referrer,
    url,
    path,
    referrerHost: hostOf(referrer),
    pageHost: parts?.host ?? null,
  };
}
