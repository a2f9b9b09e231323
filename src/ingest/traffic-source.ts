/**
 * From what a message carries (UTM, click id, referrer) to the source / medium GA4 would report.
 * Precedence, as in GA4: manual tags (UTM) > click id > external referrer > nothing (direct).
 */
import { searchEngineName, siteOf, sourceCategory } from './source-lists.js';
import { hostOf, type TouchInfo } from './utm.js';

/** GA4's placeholder when a tagged link lacks a source or a medium. */
export const NOT_SET = '(not set)';

/** A touch's campaign dimensions. A direct visit has none of them (all null). */
export interface TrafficSource {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

/** What a click id implies when the link carries no UTM. */
const CLICK_ID_SOURCES: Readonly<Record<string, { source: string; medium: string }>> = {
  gclid: { source: 'google', medium: 'cpc' },
  gbraid: { source: 'google', medium: 'cpc' },
  wbraid: { source: 'google', medium: 'cpc' },
  dclid: { source: 'google', medium: 'cpc' },
  msclkid: { source: 'bing', medium: 'cpc' },
  yclid: { source: 'yandex', medium: 'cpc' },
  // Meta adds fbclid to every outbound link, organic posts included; paid Meta traffic is expected
  // to carry UTMs (Ads Manager adds them), so an untagged fbclid is organic social, as GA4 reports it.
  fbclid: { source: 'facebook', medium: 'social' },
  ttclid: { source: 'tiktok', medium: 'cpc' },
  li_fat_id: { source: 'linkedin', medium: 'cpc' },
  twclid: { source: 'twitter', medium: 'cpc' },
  epik: { source: 'pinterest', medium: 'cpc' },
  rdt_cid: { source: 'reddit', medium: 'cpc' },
  sccid: { source: 'snapchat', medium: 'cpc' },
  irclickid: { source: 'impact', medium: 'affiliate' },
};

/**
 * The referrer's host when it is another site than the page's (subdomains of one site, like
 * `blog.acme.com` → `acme.com`, are the same site); null for no, internal or unparseable referrers.
 * With no page URL to compare (server-side or mobile events) any referrer host counts as external.
 *
 * @example
 * externalReferrerHost('https://news.ycombinator.com/item?id=1', 'https://acme.com/'); // 'news.ycombinator.com'
 * externalReferrerHost('https://acme.com/blog', 'https://www.acme.com/pricing');       // null
 */
export function externalReferrerHost(referrer: string | null, url: string | null): string | null {
  return externalHost(hostOf(referrer), hostOf(url));
}

/** externalReferrerHost for already-parsed hosts (TouchInfo carries them). */
export function externalHost(referrerHost: string | null, pageHost: string | null): string | null {
  if (!referrerHost) return null;
  if (pageHost && siteOf(pageHost) === siteOf(referrerHost)) return null;
  return referrerHost;
}

/**
 * The source of one message, or null when it carries none (no UTM, no click id, no external
 * referrer): such a message never starts a session by itself.
 * - UTM present: source/medium as tagged (a missing one is `(not set)`, or the click id's).
 * - click id only: the platform and `cpc` (fbclid: `facebook`/`social`, or the social referrer).
 * - external referrer only: a search engine → its name / `organic`; else the host / `referral`.
 *
 * @example
 * resolveTrafficSource(extractTouch({ context: { page: { url: 'https://a.com/?gclid=x' } } }));
 * // { source: 'google', medium: 'cpc', campaign: null, term: null, content: null }
 * resolveTrafficSource(extractTouch({ context: { page: { referrer: 'https://www.bing.com/' } } }));
 * // { source: 'bing', medium: 'organic', campaign: null, term: null, content: null }
 */
export function resolveTrafficSource(touch: TouchInfo): TrafficSource | null {
  const click = touch.clickIdType ? CLICK_ID_SOURCES[touch.clickIdType] : undefined;
  const refHost = externalHost(touch.referrerHost, touch.pageHost);
  const { campaign, term, content } = touch;
  const tagged = touch.source ?? touch.medium ?? campaign ?? term ?? content;
  if (tagged !== null) {
    return {
      source: touch.source ?? click?.source ?? NOT_SET,
      medium: touch.medium ?? click?.medium ?? NOT_SET,
      campaign,
      term,
      content,
    };
  }
  if (click) {
    const socialReferrer = touch.clickIdType === 'fbclid' && refHost && sourceCategory(refHost) === 'social';
    return { source: socialReferrer ? refHost : click.source, medium: click.medium, campaign, term, content };
  }
  if (refHost) {
    const engine = searchEngineName(refHost);
    return engine
      ? { source: engine, medium: 'organic', campaign, term, content }
      : { source: refHost, medium: 'referral', campaign, term, content };
  }
  return null;
}

/**
 * Whether two touches are the same traffic source for sessions: same source, medium and campaign,
 * case-insensitive (term and content may vary within one visit).
 *
 * @example
 * sameSource({ source: 'Google', medium: 'cpc', campaign: null },
 *            { source: 'google', medium: 'CPC', campaign: null }); // true
 */
export function sameSource(
  a: Pick<TrafficSource, 'source' | 'medium' | 'campaign'>,
  b: Pick<TrafficSource, 'source' | 'medium' | 'campaign'>,
): boolean {
  return sameText(a.source, b.source) && sameText(a.medium, b.medium) && sameText(a.campaign, b.campaign);
}

function sameText(x: string | null, y: string | null): boolean {
  return x === y || (x ?? '').toLowerCase() === (y ?? '').toLowerCase();
}
