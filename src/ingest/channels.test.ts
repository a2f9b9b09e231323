import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../core/errors.js';
import {
  type ChannelRule,
  classifyChannel,
  compileChannelRules,
  DEFAULT_CHANNELS,
  DEMO_CHANNEL_RULES,
  defaultChannel,
} from './channels.js';

type Row = [source: string | null, medium: string | null, campaign: string | null, want: string];

describe('defaultChannel (GA4 rules, in order)', () => {
  const cases: Row[] = [
    // Direct
    [null, null, null, 'Direct'],
    ['(direct)', '(none)', null, 'Direct'],
    ['(direct)', '(not set)', null, 'Direct'],
    ['direct', 'referral', null, 'Referral'],
    // Cross-network beats everything after Direct
    ['google', 'cpc', 'PMax cross-network Q3', 'Cross-network'],
    // Paid Shopping: shopping source or shop campaign, with a paid medium
    ['amazon', 'cpc', null, 'Paid Shopping'],
    ['google', 'cpc', 'summer shopping', 'Paid Shopping'],
    ['google', 'cpc', 'workshop', 'Paid Search'],
    ['google', 'cpc', 'eshop', 'Paid Shopping'], // GA4's [^a-df-z] lets "e" through on purpose
    ['google', 'cpc', 'shop-spring', 'Paid Shopping'],
    ['igshopping', 'paid', null, 'Paid Shopping'],
    // Paid Search
    ['google', 'cpc', null, 'Paid Search'],
    ['Google', 'CPC', 'brand', 'Paid Search'],
    ['bing', 'ppc', null, 'Paid Search'],
    ['google', 'paidsearch', null, 'Paid Search'],
    ['google', 'retargeting', null, 'Paid Search'],
    ['duckduckgo.com', 'cpc', null, 'Paid Search'],
    // Paid Social
    ['facebook', 'paid_social', null, 'Paid Social'],
    ['linkedin', 'cpc', 'abm', 'Paid Social'],
    ['l.facebook.com', 'cpm', null, 'Paid Social'],
    ['tiktok', 'cpc', null, 'Paid Social'],
    ['twitter', 'cpc', null, 'Paid Social'],
    // Paid Video
    ['youtube', 'cpv', null, 'Paid Video'],
    ['vimeo.com', 'paid', null, 'Paid Video'],
    // Display
    ['dv360', 'display', null, 'Display'],
    ['gdn', 'banner', null, 'Display'],
    ['criteo', 'cpm', null, 'Display'],
    ['adnet', 'interstitial', null, 'Display'],
    ['adnet', 'expandable', null, 'Display'],
    // Paid Other
    ['newsletter-partner', 'cpc', null, 'Paid Other'],
    ['capterra', 'ppc', null, 'Paid Other'],
    ['(not set)', 'paid', null, 'Paid Other'],
    // Organic Shopping
    ['amazon.de', 'referral', null, 'Organic Shopping'],
    ['partner', 'link', 'shop window', 'Organic Shopping'],
    // Organic Social
    ['facebook', 'social', null, 'Organic Social'],
    ['l.facebook.com', 'referral', null, 'Organic Social'],
    ['t.co', 'referral', null, 'Organic Social'],
    ['mastodon.example', 'social-network', null, 'Organic Social'],
    ['community', 'sm', null, 'Organic Social'],
    ['community', 'social media', null, 'Organic Social'],
    ['linkedin', 'email', null, 'Organic Social'],
    // Organic Video
    ['youtube', 'referral', null, 'Organic Video'],
    ['wistia-embed', 'video', null, 'Organic Video'],
    ['partner', 'promo-video', null, 'Organic Video'],
    // Organic Search
    ['google', 'organic', null, 'Organic Search'],
    ['bing', 'referral', null, 'Organic Search'],
    ['newsletter', 'organic', null, 'Organic Search'],
    ['google', '(not set)', null, 'Organic Search'],
    // Referral
    ['news.example.org', 'referral', null, 'Referral'],
    ['partner', 'app', null, 'Referral'],
    ['partner', 'link', null, 'Referral'],
    ['mail.google.com', 'referral', null, 'Referral'],
    // Email
    ['newsletter', 'email', null, 'Email'],
    ['hubspot', 'e-mail', 'nurture', 'Email'],
    ['email', 'newsletter', null, 'Email'],
    ['crm', 'e_mail', null, 'Email'],
    ['crm', 'e mail', null, 'Email'],
    // Affiliates
    ['awin', 'affiliate', null, 'Affiliates'],
    // Audio
    ['spotify-ads', 'audio', null, 'Audio'],
    // SMS
    ['sms', 'text', null, 'SMS'],
    ['twilio', 'sms', null, 'SMS'],
    // Mobile Push Notifications
    ['onesignal', 'web-push', null, 'Mobile Push Notifications'],
    ['app', 'mobile', null, 'Mobile Push Notifications'],
    ['app', 'notification', null, 'Mobile Push Notifications'],
    ['firebase', 'inapp', null, 'Mobile Push Notifications'],
    // Unassigned
    ['partner', 'newsletter', null, 'Unassigned'],
    ['(not set)', '(not set)', 'spring', 'Unassigned'],
    ['foo', 'bar', null, 'Unassigned'],
  ];
  for (const [source, medium, campaign, want] of cases) {
    it(`${source} / ${medium}${campaign ? ` / ${campaign}` : ''} → ${want}`, () => {
      assert.equal(defaultChannel({ source, medium, campaign }), want);
    });
  }

  it('only ever answers one of DEFAULT_CHANNELS', () => {
    assert.equal(DEFAULT_CHANNELS.length, 19);
    const seen = new Set(cases.map(([s, m, c]) => defaultChannel({ source: s, medium: m, campaign: c })));
    for (const ch of seen) assert.ok((DEFAULT_CHANNELS as readonly string[]).includes(ch), ch);
    // Every group is reachable by some row above.
    assert.deepEqual(
      [...DEFAULT_CHANNELS].filter((c) => !seen.has(c)),
      [],
    );
  });
});

describe('classifyChannel with workspace rules', () => {
  const rules: ChannelRule[] = [
    ...DEMO_CHANNEL_RULES,
    { channel: 'Partners', when: { referrer: ['partner.com', 'www.reseller.io'] } },
    { channel: 'Brand Search', when: { source: 'google', medium: 'cpc', campaign: '/^brand/' } },
    { channel: 'Meta Organic', when: { clickIdType: 'fbclid', medium: 'social' } },
    { channel: 'Direct (tagged)', when: { source: '(direct)' } },
    { channel: 'Docs', when: { referrer: '/docs\\.acme\\.dev\\/guides/' } },
  ];
  const compiled = compileChannelRules(rules);
  const cases: Array<[string, Parameters<typeof classifyChannel>[0], string]> = [
    ['medium event', { source: 'expo', medium: 'event', campaign: null }, 'Events'],
    ['medium Tradeshow (case)', { source: 'expo', medium: 'Tradeshow', campaign: null }, 'Events'],
    ['medium trade-show', { source: 'expo', medium: 'trade-show', campaign: null }, 'Events'],
    ['medium webinar', { source: 'zoom', medium: 'webinar', campaign: 'q3' }, 'Webinars'],
    ['medium webinars (not exact)', { source: 'zoom', medium: 'webinars', campaign: null }, 'Unassigned'],
    [
      'referrer host',
      { source: 'partner.com', medium: 'referral', campaign: null, referrer: 'https://partner.com/x' },
      'Partners',
    ],
    [
      'referrer with www',
      { source: 'reseller.io', medium: 'referral', campaign: null, referrer: 'https://www.reseller.io/' },
      'Partners',
    ],
    [
      'regex on the referrer URL',
      {
        source: 'docs.acme.dev',
        medium: 'referral',
        campaign: null,
        referrer: 'https://docs.acme.dev/guides/1',
      },
      'Docs',
    ],
    ['all conditions must hold', { source: 'google', medium: 'cpc', campaign: 'Brand-DE' }, 'Brand Search'],
    [
      'one condition fails → defaults',
      { source: 'google', medium: 'cpc', campaign: 'generic' },
      'Paid Search',
    ],
    [
      'click id type',
      { source: 'facebook', medium: 'social', campaign: null, clickIdType: 'fbclid' },
      'Meta Organic',
    ],
    ['direct visit seen as (direct)', { source: null, medium: null, campaign: null }, 'Direct (tagged)'],
    ['no rule matches', { source: 'google', medium: 'organic', campaign: null }, 'Organic Search'],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => {
      assert.equal(classifyChannel(input, compiled), want);
      assert.equal(classifyChannel(input, rules), want);
    });
  }

  it('first matching rule wins', () => {
    const ordered = compileChannelRules([
      { channel: 'First', when: { medium: 'event' } },
      { channel: 'Second', when: { medium: 'event' } },
    ]);
    assert.equal(classifyChannel({ source: 'x', medium: 'event', campaign: null }, ordered), 'First');
  });

  it('a rule with no conditions catches everything', () => {
    const all = compileChannelRules([{ channel: 'Everything', when: {} }]);
    assert.equal(classifyChannel({ source: 'google', medium: 'cpc', campaign: null }, all), 'Everything');
  });

  it('matches (not set) for a missing campaign and regex flags are honoured', () => {
    const r = compileChannelRules([
      { channel: 'Untagged campaign', when: { campaign: '(not set)', medium: 'email' } },
      { channel: 'Multi', when: { source: '/^a.c$/s' } },
    ]);
    assert.equal(classifyChannel({ source: 'nl', medium: 'email', campaign: null }, r), 'Untagged campaign');
    assert.equal(classifyChannel({ source: 'A\nC', medium: 'x', campaign: 'c' }, r), 'Multi');
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an array', { channel: 'x' }, 'rules'],
    ['no channel', [{ when: {} }], 'rules[0].channel'],
    ['blank channel', [{ channel: ' ', when: {} }], 'rules[0].channel'],
    ['unknown field', [{ channel: 'x', when: { country: 'de' } }], 'rules[0].when'],
    ['bad regex', [{ channel: 'x', when: { medium: '/(/' } }], 'rules[0].when.medium'],
    ['empty list', [{ channel: 'x', when: { medium: [] } }], 'rules[0].when.medium'],
  ];
  for (const [name, rules, field] of bad) {
    it(`rejects ${name} with a UserError naming ${field}`, () => {
      assert.throws(
        () => compileChannelRules(rules),
        (e: unknown) => e instanceof UserError && e.where.field === field,
      );
    });
  }
});
