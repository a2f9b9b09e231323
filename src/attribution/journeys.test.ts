import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeJourneys, type Journey, journeysToTable, NO_TOUCH } from './journeys.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);

function credits(
  journeys: Journey[],
  options: Parameters<typeof attributeJourneys>[1],
): Record<string, number> {
  const r = attributeJourneys(journeys, options);
  return Object.fromEntries(r.rows.map((x) => [x.channel, x.conversions]));
}

function close(actual: Record<string, number>, expected: Record<string, number>): void {
  for (const [k, v] of Object.entries(expected)) {
    assert.ok(Math.abs((actual[k] ?? 0) - v) < 1e-12, `${k}: ${actual[k]} vs ${v}`);
  }
}

describe('journeys', () => {
  it('uses real touch times for time decay', () => {
    // Touches 14 and 7 days before and on the conversion day, half-life 7: 1/7, 2/7, 4/7.
    const journey: Journey = {
      touches: [
        { channel: 'Search', time: t0 },
        { channel: 'Email', time: t0 + 7 * DAY },
        { channel: 'Social', time: t0 + 14 * DAY },
      ],
      conversionTime: t0 + 14 * DAY,
      value: 70,
    };
    close(credits([journey], { model: 'time_decay' }), { Search: 1 / 7, Email: 2 / 7, Social: 4 / 7 });
    // Half-life 14 days: raw 1/2, 2^(-1/2), 1.
    const raw = [0.5, Math.SQRT1_2, 1];
    const sum = raw[0]! + raw[1]! + raw[2]!;
    close(credits([journey], { model: 'time_decay', halfLifeDays: 14 }), {
      Search: 0.5 / sum,
      Email: Math.SQRT1_2 / sum,
      Social: 1 / sum,
    });
  });

  it('sorts touches by time and credits campaigns with --by campaign', () => {
    const journey: Journey = {
      touches: [
        { channel: 'Email', campaign: 'spring', time: t0 + DAY },
        { channel: 'Search', campaign: null, time: t0 },
      ],
    };
    close(credits([journey], { model: 'first_touch' }), { Search: 1, Email: 0 });
    close(credits([journey], { model: 'first_touch', by: 'campaign' }), { [NO_TOUCH]: 1, spring: 0 });
    close(credits([journey], { model: 'last_touch', by: 'campaign' }), { spring: 1 });
  });

  it('places W-shaped and full-path shares on the milestone touches', () => {
    const journey: Journey = {
      touches: [
        { channel: 'Display', time: t0 },
        { channel: 'Search', time: t0 + DAY, isLead: true },
        { channel: 'Email', time: t0 + 2 * DAY },
        { channel: 'Sales', time: t0 + 3 * DAY, isOpportunity: true },
        { channel: 'Event', time: t0 + 4 * DAY, isDealWon: true },
      ],
      value: 1000,
    };
    // 0.3 first, 0.3 lead, 0.3 opportunity, 0.1 over Email and Event.
    close(credits([journey], { model: 'w_shaped' }), {
      Display: 0.3,
      Search: 0.3,
      Email: 0.05,
      Sales: 0.3,
      Event: 0.05,
    });
    // 0.225 x 4 milestones, 0.1 on Email.
    close(credits([journey], { model: 'full_path' }), {
      Display: 0.225,
      Search: 0.225,
      Email: 0.1,
      Sales: 0.225,
      Event: 0.225,
    });
    const r = attributeJourneys([journey], { model: 'full_path', stages: true });
    const stage = Object.fromEntries((r.stages ?? []).map((s) => [`${s.channel}/${s.stage}`, s.value]));
    assert.ok(Math.abs(stage['Event/deal_won']! - 225) < 1e-9);
    assert.ok(Math.abs(stage['Email/other']! - 100) < 1e-9);
  });

  it('credits a conversion without touches to (none), so totals hold', () => {
    const r = attributeJourneys(
      [
        { touches: [], value: 40 },
        { touches: [{ channel: 'Email', time: t0 }], value: 60 },
      ],
      { model: 'linear' },
    );
    assert.equal(r.total_conversions, 2);
    assert.deepEqual(
      r.rows.map((x) => [x.channel, x.value]),
      [
        [NO_TOUCH, 40],
        ['Email', 60],
      ],
    );
  });

  it('keeps one path per journey and feeds non-converting journeys to Markov', () => {
    const journeys: Journey[] = [
      {
        touches: [
          { channel: 'c1', time: t0 },
          { channel: 'c2', time: t0 + 1 },
          { channel: 'c3', time: t0 + 2 },
        ],
      },
      { touches: [{ channel: 'c1', time: t0 }], conversions: 0, nulls: 1 },
      {
        touches: [
          { channel: 'c2', time: t0 },
          { channel: 'c3', time: t0 + 1 },
        ],
        conversions: 0,
        nulls: 1,
      },
    ];
    assert.equal(journeysToTable(journeys).size, 3);
    close(credits(journeys, { model: 'markov' }), { c1: 0.2, c2: 0.4, c3: 0.4 });
  });
});
