import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractTouch, hostOf } from './utm.js';

const page = (url: string, referrer?: string) => ({
  context: { page: { url, ...(referrer ? { referrer } : {}) } },
});

describe('extractTouch', () => {
  it('reads context.campaign, Segment name = campaign', () => {
    const t = extractTouch({
      context: {
        campaign: { name: 'spring', source: 'newsletter', medium: 'email', term: 'crm', content: 'hero' },
      },
    });
    assert.deepEqual(
      [t.source, t.medium, t.campaign, t.term, t.content],
      ['newsletter', 'email', 'spring', 'crm', 'hero'],
    );
  });

  it('reads utm_* from the page URL, case-insensitively, with + as space', () => {
    const t = extractTouch(
      page(
        'https://acme.com/p?UTM_SOURCE=google&utm_medium=cpc&utm_campaign=Brand+DE&utm_term=crm%20tool&utm_content=ad1',
      ),
    );
    assert.deepEqual(
      [t.source, t.medium, t.campaign, t.term, t.content],
      ['google', 'cpc', 'Brand DE', 'crm tool', 'ad1'],
    );
  });

  it('prefers context.campaign field by field over the URL', () => {
    const t = extractTouch({
      context: {
        campaign: { source: 'linkedin' },
        page: { url: 'https://acme.com/?utm_source=li&utm_medium=paid_social' },
      },
    });
    assert.equal(t.source, 'linkedin');
    assert.equal(t.medium, 'paid_social');
  });

  it('falls back to properties.url on page calls and to context.page.search', () => {
    assert.equal(extractTouch({ properties: { url: 'https://a.com/x?utm_source=s' } }).source, 's');
    assert.equal(extractTouch({ context: { page: { search: '?utm_medium=m' } } }).medium, 'm');
  });

  it('treats blank values as absent', () => {
    const t = extractTouch({
      context: { campaign: { source: ' ', name: '' }, page: { url: 'https://a.com/?utm_source=' } },
    });
    assert.equal(t.source, null);
    assert.equal(t.campaign, null);
  });

  const clicks: Array<[string, string | null, string | null]> = [
    ['?gclid=G1', 'gclid', 'G1'],
    ['?gbraid=GB', 'gbraid', 'GB'],
    ['?wbraid=WB', 'wbraid', 'WB'],
    ['?dclid=D', 'dclid', 'D'],
    ['?msclkid=M', 'msclkid', 'M'],
    ['?fbclid=F', 'fbclid', 'F'],
    ['?ttclid=T', 'ttclid', 'T'],
    ['?li_fat_id=L', 'li_fat_id', 'L'],
    ['?twclid=TW', 'twclid', 'TW'],
    ['?epik=E', 'epik', 'E'],
    ['?ScCid=S', 'sccid', 'S'],
    ['?fbclid=F&gclid=G', 'gclid', 'G'],
    ['?gclid=&msclkid=M', 'msclkid', 'M'],
    ['?q=1', null, null],
  ];
  for (const [query, type, id] of clicks) {
    it(`click id ${query} → ${type}`, () => {
      const t = extractTouch(page(`https://acme.com/${query}`));
      assert.equal(t.clickIdType, type);
      assert.equal(t.clickId, id);
    });
  }

  it('reads referrer, url and path', () => {
    const t = extractTouch(page('https://acme.com/pricing/?a=1#x', 'https://www.google.com/'));
    assert.equal(t.referrer, 'https://www.google.com/');
    assert.equal(t.url, 'https://acme.com/pricing/?a=1#x');
    assert.equal(t.path, '/pricing/');
  });

  it('prefers context.page.path, falls back to properties.referrer and the mobile referrer', () => {
    assert.equal(extractTouch({ context: { page: { path: '/p', url: 'https://a.com/q' } } }).path, '/p');
    assert.equal(extractTouch({ properties: { referrer: 'https://r.com/' } }).referrer, 'https://r.com/');
    assert.equal(
      extractTouch({ context: { referrer: { type: 'x', url: 'https://m.com/' } } }).referrer,
      'https://m.com/',
    );
  });

  it('returns nulls for a message with nothing (server-side track)', () => {
    assert.deepEqual(
      extractTouch({ properties: { revenue: 1 }, context: { library: { name: 'analytics-node' } } }),
      {
        source: null,
        medium: null,
        campaign: null,
        term: null,
        content: null,
        clickIdType: null,
        clickId: null,
        referrer: null,
        url: null,
        path: null,
        referrerHost: null,
        pageHost: null,
      },
    );
  });

  it('survives malformed URLs', () => {
    const t = extractTouch(page('http://[bad', 'not a url'));
    assert.equal(t.url, 'http://[bad');
    assert.equal(t.path, null);
    assert.equal(t.referrer, 'not a url');
  });
});

describe('hostOf', () => {
  const cases: Array<[string | null, string | null]> = [
    ['https://www.Google.com/search?q=x', 'google.com'],
    ['http://news.ycombinator.com:8080/x', 'news.ycombinator.com'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm'],
    ['/relative', null],
    ['google.com', null],
    ['', null],
    [null, null],
  ];
  for (const [url, want] of cases) it(`${url} → ${want}`, () => assert.equal(hostOf(url), want));
});
