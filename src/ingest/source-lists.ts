/**
 * Which kind of site a traffic source is: GA4 puts sources in search / social / video / shopping
 * lists (its downloadable "source categories" sheet). This is a built-in subset with the common
 * ones; a source can be a bare name (`utm_source=linkedin`) or a host (`l.facebook.com`).
 */

export type SourceCategory = 'search' | 'social' | 'video' | 'shopping';

interface SourceList {
  /** Exact source values (bare names as people type them in utm_source). */
  names: readonly string[];
  /** Hosts; any subdomain matches too (`l.facebook.com` via `facebook.com`). */
  domains: readonly string[];
  /** Second-level names under any TLD, any subdomain (`amazon.co.uk`, `smile.amazon.de`). */
  brands: readonly string[];
}

/** Whitespace-separated list → array; keeps the data tables compact and readable. */
function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

const SEARCH: SourceList = {
  names: [
    ...words(`
      google bing yahoo yandex baidu duckduckgo ecosia naver seznam qwant startpage ask aol sogou daum
      brave kagi so.com 360.cn msn
    `),
    'yahoo! japan',
  ],
  domains: words(`
    search.brave.com search.aol.com so.com m.so.com search.naver.com m.search.naver.com
    com.google.android.googlequicksearchbox
  `),
  brands: [],
};

/**
 * Search engines under any country TLD, but only on their search hosts: `www.google.de`,
 * `uk.search.yahoo.com`, never `mail.google.com` or `docs.google.com` (those are referrals in GA4).
 */
const SEARCH_HOST_RE =
  /^(?:(?:www|m|search|[a-z]{2})\.)*(?:google|bing|yahoo|yandex|baidu|duckduckgo|ecosia|naver|seznam|qwant|startpage|ask|sogou|daum|kagi)\.(?:[a-z]{2,6}|(?:com?|co|ne|or)\.[a-z]{2})$/;

const SOCIAL: SourceList = {
  names: [
    ...words(`
      facebook fb meta instagram ig linkedin twitter x pinterest reddit tiktok snapchat quora tumblr vk
      weibo threads bluesky mastodon discord telegram whatsapp line xing nextdoor meetup wechat
      hackernews producthunt slack messenger kakao douban ok.ru
    `),
    'hacker news',
  ],
  domains: words(`
    facebook.com fb.com fb.me messenger.com instagram.com linkedin.com lnkd.in twitter.com t.co x.com
    pin.it reddit.com redd.it tiktok.com snapchat.com quora.com tumblr.com vk.com weibo.com weibo.cn
    threads.net threads.com bsky.app mastodon.social discord.com discordapp.com discord.gg telegram.org
    t.me whatsapp.com wa.me line.me xing.com nextdoor.com meetup.com news.ycombinator.com
    producthunt.com medium.com slack.com wechat.com kakao.com douban.com ok.ru flipboard.com
    stackoverflow.com stackexchange.com substack.com glassdoor.com
  `),
  brands: ['pinterest'],
};

const VIDEO: SourceList = {
  names: words('youtube yt vimeo twitch dailymotion wistia bilibili netflix vidyard'),
  domains: words(`
    youtube.com youtu.be youtube-nocookie.com vimeo.com twitch.tv dailymotion.com dai.ly wistia.com
    wistia.net bilibili.com netflix.com vidyard.com rumble.com
  `),
  brands: [],
};

const SHOPPING: SourceList = {
  names: [
    ...words(`
      amazon ebay etsy walmart aliexpress alibaba shopify mercadolibre rakuten zalando bestbuy idealo
      igshopping shopping.google.com shopzilla pricegrabber kelkoo
    `),
    'google shopping',
  ],
  domains: words(`
    etsy.com walmart.com aliexpress.com alibaba.com shopify.com rakuten.com rakuten.co.jp target.com
    bestbuy.com shopping.google.com shopping.yahoo.com shopzilla.com pricegrabber.com wayfair.com
    temu.com shein.com otto.de bol.com
  `),
  brands: words('amazon ebay mercadolibre mercadolivre zalando idealo kelkoo'),
};

const LISTS: ReadonlyArray<readonly [SourceCategory, SourceList]> = [
  ['shopping', SHOPPING],
  ['social', SOCIAL],
  ['video', VIDEO],
  ['search', SEARCH],
];

const byName = new Map<string, SourceCategory>();
const byDomain = new Map<string, SourceCategory>();
const brandRes: Array<readonly [SourceCategory, RegExp]> = [];
for (const [category, list] of LISTS) {
  for (const n of list.names) if (!byName.has(n)) byName.set(n, category);
  for (const d of list.domains) if (!byDomain.has(d)) byDomain.set(d, category);
  if (list.brands.length > 0) {
    const re = new RegExp(
      `^(?:[a-z0-9-]+\\.)*(?:${list.brands.join('|')})\\.(?:[a-z]{2,6}|(?:com?|co)\\.[a-z]{2})$`,
    );
    brandRes.push([category, re]);
  }
}

/**
 * A host in lower case, without scheme, port, path or a leading `www.`; null when `value` is not
 * host-like. Accepts bare hosts and full URLs.
 *
 * @example
 * normalizeHost('https://WWW.Example.com:8080/a?b'); // 'example.com'
 * normalizeHost('newsletter'); // 'newsletter'
 */
export function normalizeHost(value: string): string | null {
  let s = value.trim().toLowerCase();
  const scheme = s.indexOf('://');
  if (scheme >= 0) s = s.slice(scheme + 3);
  const end = s.search(/[/?#:]/);
  if (end >= 0) s = s.slice(0, end);
  if (s.startsWith('www.')) s = s.slice(4);
  return s === '' ? null : s;
}

const categoryCache = new Map<string, SourceCategory | null>();
const CACHE_LIMIT = 10_000;

/**
 * The GA4 source category of a source name or host, or null.
 *
 * @example
 * sourceCategory('google');          // 'search'
 * sourceCategory('www.google.co.uk'); // 'search'
 * sourceCategory('mail.google.com');  // null (a referral, as in GA4)
 * sourceCategory('l.facebook.com');   // 'social'
 * sourceCategory('amazon.de');        // 'shopping'
 */
export function sourceCategory(source: string | null): SourceCategory | null {
  if (!source) return null;
  const cached = categoryCache.get(source);
  if (cached !== undefined) return cached;
  const result = computeCategory(source);
  // Sources are low-cardinality in practice; the cap only guards against garbage utm_source values.
  if (categoryCache.size >= CACHE_LIMIT) categoryCache.clear();
  categoryCache.set(source, result);
  return result;
}

function computeCategory(source: string): SourceCategory | null {
  const name = source.trim().toLowerCase();
  const named = byName.get(name);
  if (named) return named;
  const host = normalizeHost(name);
  if (!host?.includes('.')) return null;
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const hit = byDomain.get(labels.slice(i).join('.'));
    if (hit) return hit;
  }
  for (const [category, re] of brandRes) if (re.test(host)) return category;
  if (SEARCH_HOST_RE.test(host)) return 'search';
  return null;
}

/** Search hosts whose engine name is not their second-level label. */
const ENGINE_HOSTS: Readonly<Record<string, string>> = {
  'search.brave.com': 'brave',
  'com.google.android.googlequicksearchbox': 'google',
  'search.aol.com': 'aol',
};

/**
 * The search engine's short name for a search host (`www.google.co.uk` → `google`), as GA4 reports
 * organic search sources; null when the host is not a search engine.
 *
 * @example
 * searchEngineName('uk.search.yahoo.com'); // 'yahoo'
 * searchEngineName('news.ycombinator.com'); // null
 */
export function searchEngineName(host: string): string | null {
  const h = normalizeHost(host);
  if (!h || sourceCategory(h) !== 'search') return null;
  const known = ENGINE_HOSTS[h];
  if (known) return known;
  const labels = h.split('.');
  // The engine's name is the label before the public suffix (`google` in `google.com.br`).
  let i = labels.length - 2;
  const sld = labels[i];
  if (i > 0 && sld !== undefined && /^(?:com?|co|ne|or)$/.test(sld) && (labels.at(-1)?.length ?? 0) === 2)
    i--;
  return labels[i] ?? h;
}

const GENERIC_SLD = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go', 'ltd', 'plc']);

/**
 * The registrable part of a host (`blog.acme.co.uk` → `acme.co.uk`), good enough to tell one's own
 * site from another without the full public-suffix list.
 *
 * @example
 * siteOf('app.example.com'); // 'example.com'
 * siteOf('shop.example.co.uk'); // 'example.co.uk'
 */
export function siteOf(host: string): string {
  let site = siteCache.get(host);
  if (site === undefined) {
    site = computeSite(host);
    if (siteCache.size >= CACHE_LIMIT) siteCache.clear();
    siteCache.set(host, site);
  }
  return site;
}

const siteCache = new Map<string, string>();

function computeSite(host: string): string {
  const h = normalizeHost(host) ?? host;
  if (/^[\d.]+$/.test(h) || h.includes(':')) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const tld = labels[labels.length - 1] ?? '';
  const sld = labels[labels.length - 2] ?? '';
  const keep = tld.length === 2 && GENERIC_SLD.has(sld) ? 3 : 2;
  return labels.slice(-keep).join('.');
}
