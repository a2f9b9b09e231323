import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHost, searchEngineName, siteOf, sourceCategory } from './source-lists.js';

describe('sourceCategory', () => {
  const cases: Array<[string, string | null]> = [
    ['google', 'search'],
    ['Google', 'search'],
    ['google.com', 'search'],
    ['www.google.co.uk', 'search'],
    ['google.com.br', 'search'],
    ['bing.com', 'search'],
    ['cn.bing.com', 'search'],
    ['uk.search.yahoo.com', 'search'],
    ['duckduckgo.com', 'search'],
    ['search.brave.com', 'search'],
    ['yandex.ru', 'search'],
    ['mail.google.com', null],
    ['docs.google.com', null],
    ['mail.yahoo.com', null],
    ['facebook', 'social'],
    ['fb', 'social'],
    ['l.facebook.com', 'social'],
    ['lm.facebook.com', 'social'],
    ['m.facebook.com', 'social'],
    ['instagram.com', 'social'],
    ['linkedin', 'social'],
    ['lnkd.in', 'social'],
    ['t.co', 'social'],
    ['x.com', 'social'],
    ['news.ycombinator.com', 'social'],
    ['pinterest.co.uk', 'social'],
    ['de.pinterest.com', 'social'],
    ['reddit.com', 'social'],
    ['youtube', 'video'],
    ['m.youtube.com', 'video'],
    ['youtu.be', 'video'],
    ['vimeo.com', 'video'],
    ['amazon', 'shopping'],
    ['amazon.de', 'shopping'],
    ['smile.amazon.co.uk', 'shopping'],
    ['ebay.com', 'shopping'],
    ['igshopping', 'shopping'],
    ['shopping.google.com', 'shopping'],
    ['https://www.etsy.com/listing/1', 'shopping'],
    ['newsletter', null],
    ['partner.example.com', null],
    ['notfacebook.com', null],
    ['', null],
  ];
  for (const [source, want] of cases)
    it(`${source || '(empty)'} → ${want}`, () => assert.equal(sourceCategory(source), want));
});

describe('searchEngineName', () => {
  const cases: Array<[string, string | null]> = [
    ['www.google.com', 'google'],
    ['google.co.uk', 'google'],
    ['www.google.com.br', 'google'],
    ['uk.search.yahoo.com', 'yahoo'],
    ['search.brave.com', 'brave'],
    ['duckduckgo.com', 'duckduckgo'],
    ['com.google.android.googlequicksearchbox', 'google'],
    ['search.aol.com', 'aol'],
    ['news.ycombinator.com', null],
    ['mail.google.com', null],
  ];
  for (const [host, want] of cases) it(`${host} → ${want}`, () => assert.equal(searchEngineName(host), want));
});

describe('siteOf / normalizeHost', () => {
  const sites: Array<[string, string]> = [
    ['acme.com', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['blog.acme.com', 'acme.com'],
    ['shop.acme.co.uk', 'acme.co.uk'],
    ['a.b.acme.com.au', 'acme.com.au'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
  ];
  for (const [host, want] of sites) it(`siteOf ${host} → ${want}`, () => assert.equal(siteOf(host), want));
  it('normalizeHost strips scheme, port, path and www.', () => {
    assert.equal(normalizeHost('https://WWW.Example.com:8080/a?b'), 'example.com');
    assert.equal(normalizeHost('   '), null);
  });
});
