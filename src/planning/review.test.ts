import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChannelTotals, reviewChannels, reviewPages } from './review.js';

// Totals: spend 10000, leads 120, customers 13, revenue 10000; all channels convert 13 / 120 = 10.8 %.
const CHANNELS: ChannelTotals[] = [
  { channel: 'Events', spend: 8000, leads: 5, customers: 1, revenue: 1000 },
  { channel: 'Webinars', spend: 1000, leads: 25, customers: 5, revenue: 6000 },
  { channel: 'Paid Search', spend: 1000, leads: 30, customers: 1, revenue: 1000 },
  { channel: 'Organic Search', spend: 0, leads: 40, customers: 1, revenue: 1000 },
  { channel: 'Referral', spend: 0, leads: 20, customers: 5, revenue: 1000 },
];

test('figures per channel: CAC, cost per lead, ROI, lead → customer rate and shares', () => {
  const events = reviewChannels(CHANNELS).find((c) => c.channel === 'Events');
  assert.deepEqual(events && { ...events, reason: undefined }, {
    channel: 'Events',
    spend: 8000,
    leads: 5,
    customers: 1,
    revenue: 1000,
    cac: 8000, // 8000 / 1
    cost_per_lead: 1600, // 8000 / 5
    roi: -0.875, // (1000 − 8000) / 8000
    lead_to_customer_rate: 0.2, // 1 / 5
    spend_share: 0.8, // 8000 / 10000
    lead_share: 0.041667, // 5 / 120
    revenue_share: 0.1, // 1000 / 10000
    verdict: 'cut',
    reason: undefined,
  });
});

test('verdicts: cut, double down (paid and unpaid), keep', () => {
  const r = reviewChannels(CHANNELS);
  assert.deepEqual(
    r.map((c) => [c.channel, c.verdict]),
    [
      // spend share 0.8 ≥ 2 × revenue share 0.1 and ≥ 2 × lead share 0.0417
      ['Events', 'cut'],
      // same spend, more revenue first: spend 0.1 ≤ 0.5 × revenue 0.6; 25 leads; 5/25 = 0.2 ≥ 0.108
      ['Webinars', 'double_down'],
      // spend 0.1 vs revenue 0.1 and leads 0.25: in line
      ['Paid Search', 'keep'],
      // unpaid, 1/40 = 0.025: no media cost
      ['Organic Search', 'keep'],
      // unpaid, 20 leads, 5/20 = 0.25 is the best rate of the channels with ≥ 20 leads
      ['Referral', 'double_down'],
    ],
  );
  const reason = (ch: string) => r.find((c) => c.channel === ch)?.reason;
  assert.equal(
    reason('Events'),
    'costs far more than it brings: 80 % of spend, 10 % of revenue, 4.2 % of leads; $8,000 per customer',
  );
  assert.equal(
    reason('Webinars'),
    'under-funded and it works: 10 % of spend, 60 % of revenue, 20.8 % of leads; 20 % of its leads became customers (all channels: 10.8 %)',
  );
  assert.equal(
    reason('Paid Search'),
    'results in line with its cost: 10 % of spend, 10 % of revenue, 25 % of leads',
  );
  assert.equal(reason('Organic Search'), 'no media cost: 33.3 % of leads, 10 % of revenue');
  assert.match(reason('Referral') ?? '', /^no media cost and the best conversion: 25 % of its leads/);
});

test('too few leads to judge conversion: no double down, and no best-converter claim', () => {
  const r = reviewChannels([
    // 19 leads: 10/19 converts best, but below the 20-lead minimum
    { channel: 'Webinars', spend: 100, leads: 19, customers: 10, revenue: 9000 },
    { channel: 'Referral', spend: 0, leads: 19, customers: 9, revenue: 500 },
    { channel: 'Paid Search', spend: 900, leads: 62, customers: 1, revenue: 500 },
  ]);
  assert.deepEqual(
    r.map((c) => [c.channel, c.verdict]),
    [
      // spend 0.9 ≥ 2 × revenue 0.05 but < 2 × lead share 0.62: leads in proportion, little revenue
      ['Paid Search', 'keep'],
      ['Webinars', 'keep'],
      ['Referral', 'keep'],
    ],
  );
  assert.match(
    r[0]?.reason ?? '',
    /^leads in proportion to its cost but little revenue, check their quality/,
  );
});

test('few leads but revenue in proportion: keep; a paid channel with no customers at all: cut', () => {
  const r = reviewChannels([
    // spend 0.5: ≥ 2 × lead share 0.1, but revenue share 0.9
    { channel: 'Referral Partners', spend: 500, leads: 10, customers: 2, revenue: 9000 },
    { channel: 'Display', spend: 500, leads: 0, customers: 0, revenue: 0 },
    { channel: 'Organic Search', spend: 0, leads: 90, customers: 1, revenue: 1000 },
  ]);
  assert.deepEqual(
    r.map((c) => [c.channel, c.verdict, c.reason]),
    [
      [
        'Referral Partners',
        'keep',
        'few leads for its cost, but they pay off in revenue: 50 % of spend, 90 % of revenue, 10 % of leads',
      ],
      [
        'Display',
        'cut',
        'costs far more than it brings: 50 % of spend, 0 % of revenue, 0 % of leads; no customer',
      ],
      ['Organic Search', 'keep', 'no media cost: 90 % of leads, 10 % of revenue'],
    ],
  );
  assert.equal(r[1]?.cac, null); // 500 / 0 customers is undefined
  assert.equal(r[1]?.lead_to_customer_rate, null);
});

test('pages: the median-or-busier landing pages, flagged below half the site rate', () => {
  const r = reviewPages([
    { path: '/', sessions: 50, conversions: 5 },
    { path: '/blog/x', sessions: 40, conversions: 0 },
    { path: '/pricing', sessions: 30, conversions: 6 },
    { path: '/webinars', sessions: 10, conversions: 4 },
    { path: '/about', sessions: 5, conversions: 0 },
  ]);
  assert.equal(r.site_conversion_rate, 0.111111); // 15 / 135
  assert.equal(r.median_sessions, 30); // of 5, 10, 30, 40, 50
  assert.deepEqual(r.pages, [
    { path: '/', sessions: 50, conversions: 5, conversion_rate: 0.1, flagged: false, reason: null },
    {
      path: '/blog/x',
      sessions: 40,
      conversions: 0,
      conversion_rate: 0, // 0 < 0.5 × 0.1111
      flagged: true,
      reason: '40 sessions but only 0 % convert (site: 11.1 %): add a clear offer or call to action',
    },
    { path: '/pricing', sessions: 30, conversions: 6, conversion_rate: 0.2, flagged: false, reason: null },
  ]);
  // An even number of pages: the median is the mean of the middle two, (10 + 30) / 2 = 20.
  assert.equal(
    reviewPages([10, 30, 40, 5].map((s, i) => ({ path: `/${i}`, sessions: s, conversions: 0 })))
      .median_sessions,
    20,
  );
  assert.deepEqual(reviewPages([]), { site_conversion_rate: null, median_sessions: null, pages: [] });
});

test('contacts without a known source are listed but never judged', () => {
  const r = reviewChannels([
    { channel: '(none)', spend: 0, leads: 30, customers: 9, revenue: 900 },
    { channel: 'Paid Search', spend: 100, leads: 30, customers: 1, revenue: 100 },
  ]);
  assert.deepEqual(r[1], {
    ...r[1],
    channel: '(none)',
    verdict: 'keep',
    reason: 'contacts with no known original source',
  });
});
