import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { externalReferrerHost, resolveTrafficSource, sameSource } from './traffic-source.js';
import { extractTouch } from './utm.js';

const SITE = 'https://www.acme.com/landing';

function resolve(url: string | null, referrer?: string, campaign?: Record<string, string>) {
  const page: Record<string, string> = {};
  if (url) page.url = url;
  if (referrer) page.referrer = referrer;
  return resolveTrafficSource(extractTouch({ context: { page, ...(campaign ? { campaign } : {}) } }));
}

describe('resolveTrafficSource', () => {
  const cases: Array<[string, string | null, string | undefined, [string, string, string | null] | null]> = [
    [
      'UTM wins over everything',
      `${SITE}?utm_source=nl&utm_medium=email&utm_campaign=c&gclid=1`,
      'https://www.google.com/',
      ['nl', 'email', 'c'],
    ],
    ['UTM source only', `${SITE}?utm_source=partner`, undefined, ['partner', '(not set)', null]],
    ['UTM campaign only', `${SITE}?utm_campaign=spring`, undefined, ['(not set)', '(not set)', 'spring']],
    [
      'UTM campaign + gclid fills source/medium',
      `${SITE}?utm_campaign=brand&gclid=1`,
      undefined,
      ['google', 'cpc', 'brand'],
    ],
    ['gclid', `${SITE}?gclid=1`, undefined, ['google', 'cpc', null]],
    ['gbraid', `${SITE}?gbraid=1`, undefined, ['google', 'cpc', null]],
    ['wbraid', `${SITE}?wbraid=1`, undefined, ['google', 'cpc', null]],
    ['dclid', `${SITE}?dclid=1`, undefined, ['google', 'cpc', null]],
    ['msclkid', `${SITE}?msclkid=1`, 'https://www.bing.com/', ['bing', 'cpc', null]],
    ['ttclid', `${SITE}?ttclid=1`, undefined, ['tiktok', 'cpc', null]],
    ['li_fat_id', `${SITE}?li_fat_id=1`, undefined, ['linkedin', 'cpc', null]],
    ['twclid', `${SITE}?twclid=1`, undefined, ['twitter', 'cpc', null]],
    ['fbclid alone', `${SITE}?fbclid=1`, undefined, ['facebook', 'social', null]],
    [
      'fbclid from instagram',
      `${SITE}?fbclid=1`,
      'https://l.instagram.com/',
      ['l.instagram.com', 'social', null],
    ],
    ['search referrer', SITE, 'https://www.google.de/', ['google', 'organic', null]],
    ['yahoo referrer', SITE, 'https://uk.search.yahoo.com/search?p=x', ['yahoo', 'organic', null]],
    ['social referrer', SITE, 'https://t.co/abc', ['t.co', 'referral', null]],
    ['other referrer', SITE, 'https://news.example.org/post', ['news.example.org', 'referral', null]],
    ['webmail referrer', SITE, 'https://mail.google.com/', ['mail.google.com', 'referral', null]],
    ['internal referrer', SITE, 'https://acme.com/blog', null],
    ['subdomain referrer is internal', SITE, 'https://docs.acme.com/', null],
    ['no referrer, no UTM', SITE, undefined, null],
    ['referrer without page URL counts', null, 'https://www.bing.com/', ['bing', 'organic', null]],
  ];
  for (const [name, url, referrer, want] of cases) {
    it(name, () => {
      const got = resolve(url, referrer);
      assert.deepEqual(got ? [got.source, got.medium, got.campaign] : null, want);
    });
  }

  it('keeps term and content from the UTM', () => {
    const got = resolve(`${SITE}?utm_source=g&utm_medium=cpc&utm_term=crm&utm_content=v2`);
    assert.equal(got?.term, 'crm');
    assert.equal(got?.content, 'v2');
  });
});

describe('externalReferrerHost', () => {
  it('compares registrable sites, not hosts', () => {
    assert.equal(externalReferrerHost('https://blog.acme.co.uk/x', 'https://acme.co.uk/'), null);
    assert.equal(externalReferrerHost('https://other.co.uk/x', 'https://acme.co.uk/'), 'other.co.uk');
    assert.equal(externalReferrerHost('', SITE), null);
  });
});

describe('sameSource', () => {
  it('ignores case, term and content', () => {
    assert.ok(
      sameSource(
        { source: 'Google', medium: 'CPC', campaign: 'A' },
        { source: 'google', medium: 'cpc', campaign: 'a' },
      ),
    );
    assert.ok(
      !sameSource(
        { source: 'google', medium: 'cpc', campaign: null },
        { source: 'google', medium: 'organic', campaign: null },
      ),
    );
    assert.ok(
      !sameSource(
        { source: 'g', medium: 'cpc', campaign: 'a' },
        { source: 'g', medium: 'cpc', campaign: 'b' },
      ),
    );
  });
});
