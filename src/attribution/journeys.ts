/**
 * The journey-level API: conversions with their timed touches (as the workspace builds them) go
 * into the same compact table the path files use, keyed by channel or by campaign, so every model
 * runs on both.
 */
import { attributePaths } from './attribute.js';
import { ChannelDictionary, PathTableBuilder } from './path-table.js';
import type { AttributionOptions, AttributionResult, PathTable } from './types.js';

const DAY_MS = 86_400_000;

/** The key credited when a conversion has no touch, or a touch has no campaign. */
export const NO_TOUCH = '(none)';

export interface JourneyTouch {
  channel: string;
  campaign?: string | null;
  /** Epoch milliseconds. */
  time: number;
  /** This touch created the lead / the opportunity / won the deal (the milestone models). */
  isLead?: boolean;
  isOpportunity?: boolean;
  isDealWon?: boolean;
}

export interface Journey {
  /** In time order (they are sorted by time if not). */
  touches: readonly JourneyTouch[];
  /** Epoch milliseconds; default the last touch's time. */
  conversionTime?: number;
  /** Conversions this journey stands for (default 1; 0 for a journey that did not convert). */
  conversions?: number;
  /** Their value (default 0). */
  value?: number;
  /** Non-conversions this journey stands for (default 0); Markov uses them. */
  nulls?: number;
}

export type JourneyDimension = 'channel' | 'campaign';

/**
 * One path per journey (not merged, so times and milestones stay per journey).
 *
 * @example
 * const t = journeysToTable([{ touches: [{ channel: 'Email', campaign: 'spring', time: 0 }], value: 50 }], 'campaign');
 * t.channels; // ['spring']
 */
export function journeysToTable(journeys: Iterable<Journey>, by: JourneyDimension = 'channel'): PathTable {
  const dict = new ChannelDictionary();
  let expectedTouches = 0;
  if (Array.isArray(journeys))
    for (const j of journeys as Journey[]) expectedTouches += j.touches.length || 1;
  const builder = new PathTableBuilder({
    dedupe: false,
    withDays: true,
    withMilestones: true,
    ...(Array.isArray(journeys) ? { expectedPaths: journeys.length, expectedTouches } : {}),
  });
  let rows = 0;
  for (const journey of journeys) {
    rows++;
    const touches = sortedByTime(journey.touches);
    const conversions = journey.conversions ?? 1;
    const value = journey.value ?? 0;
    const nulls = journey.nulls ?? 0;
    if (touches.length === 0) {
      // A conversion without a touch still counts, so totals equal all conversions.
      builder.touch(dict.id(NO_TOUCH), 0);
      builder.commit(conversions, value, nulls);
      continue;
    }
    const end = journey.conversionTime ?? touches[touches.length - 1]!.time;
    let lead = -1;
    let opportunity = -1;
    let dealWon = -1;
    for (let i = 0; i < touches.length; i++) {
      const t = touches[i]!;
      builder.touch(
        dict.id(by === 'campaign' ? t.campaign || NO_TOUCH : t.channel),
        Math.max(0, (end - t.time) / DAY_MS),
      );
      if (t.isLead && lead < 0) lead = i;
      if (t.isOpportunity && opportunity < 0) opportunity = i;
      if (t.isDealWon && dealWon < 0) dealWon = i;
    }
    builder.commit(conversions, value, nulls, { lead, opportunity, dealWon });
  }
  return builder.build(dict.names, rows);
}

function sortedByTime(touches: readonly JourneyTouch[]): readonly JourneyTouch[] {
  for (let i = 1; i < touches.length; i++) {
    if (touches[i]!.time < touches[i - 1]!.time) return [...touches].sort((a, b) => a.time - b.time);
  }
  return touches;
}

/**
 * Attribution of journeys under one model; `by: 'campaign'` credits campaigns instead of channels.
 *
 * @example
 * attributeJourneys(journeys, { model: 'w_shaped', by: 'channel', stages: true });
 */
export function attributeJourneys(
  journeys: Iterable<Journey>,
  options: AttributionOptions & { by?: JourneyDimension },
): AttributionResult {
  return attributePaths(journeysToTable(journeys, options.by ?? 'channel'), options);
}
