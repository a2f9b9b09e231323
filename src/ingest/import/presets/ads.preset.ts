/**
 * Ad platform reports as spend: Google Ads' campaign report (Reports → Download → CSV: a title line
 * and the date range above the header, `Total: …` rows below, numbers with thousands separators)
 * and Meta's Ads Manager export (`Reporting starts`, `Reporting ends`, `Amount spent (USD)`).
 */
import { parseLocalDate, squash } from '../values.js';
import { cell, findColumn, type TabularPreset } from './preset.js';

/** Google Ads prints `--` for a metric it has no value for. */
function dashesToBlank(fields: Record<string, string>, names: readonly string[]): void {
  for (const n of names) if (fields[n] === '--' || fields[n] === ' --') delete fields[n];
}

export const GOOGLE_ADS: TabularPreset = {
  name: 'google-ads',
  kind: 'spend',
  format: 'csv',
  description: 'Google Ads campaign report by day (Day, Campaign, Cost, Impr., Clicks, Currency code)',
  dates: 'loose',
  required: ['Day', 'Campaign', 'Cost'],
  layout: {
    classify: (fields) => (/^Total:?\s/i.test((fields[0] ?? '').trim()) ? 'skip' : 'data'),
  },
  columns: {
    date: ['Day', 'Date'],
    campaign: ['Campaign'],
    cost: ['Cost'],
    currency: ['Currency code', 'Currency'],
    impressions: ['Impr.', 'Impressions'],
    clicks: ['Clicks'],
  },
  derive({ fields, values, header }) {
    dashesToBlank(fields, ['impressions', 'clicks']);
    if (fields.cost === '--') fields.cost = '0';
    // Campaign type decides the medium: Video runs on YouTube, Display on the display network.
    const type = squash(cell(values, findColumn(header, ['Campaign type', 'Advertising channel type'])));
    fields.source = type === 'video' ? 'youtube' : 'google';
    fields.medium = type === 'display' ? 'display' : 'cpc';
    return undefined;
  },
};

const AMOUNT_SPENT_RE = /^Amount spent \(([A-Z]{3})\)$/i;

export const META_ADS: TabularPreset = {
  name: 'meta-ads',
  kind: 'spend',
  format: 'csv',
  description: 'Meta Ads Manager export by day (Reporting starts, Campaign name, Amount spent (USD))',
  dates: 'loose',
  required: ['Campaign name', 'Reporting starts', 'Reporting ends', /^Amount spent \([A-Z]{3}\)$/i],
  columns: {
    campaign: ['Campaign name'],
    impressions: ['Impressions'],
    reach: ['Reach'],
    clicks: ['Link clicks', 'Clicks (all)'],
  },
  derivedFrom: { date: 'Reporting starts', cost: 'Amount spent', currency: 'Amount spent' },
  derive({ fields, values, header }) {
    // The summary row of an export has no campaign.
    if (!fields.campaign) return 'skip';
    const spentColumn = header.find((h) => AMOUNT_SPENT_RE.test(h.trim())) as string;
    fields.cost = cell(values, spentColumn) || '0';
    fields.currency = AMOUNT_SPENT_RE.exec(spentColumn.trim())?.[1]?.toUpperCase() ?? '';
    const day = cell(values, findColumn(header, ['Day']));
    const starts = cell(values, findColumn(header, ['Reporting starts']));
    const ends = cell(values, findColumn(header, ['Reporting ends']));
    if (day) fields.date = day;
    else if (starts && parseLocalDate(starts, 'loose') === parseLocalDate(ends, 'loose'))
      fields.date = starts;
    else {
      const reason = `covers ${starts} to ${ends}: export one row per day (Breakdown → By time → Day)`;
      return { column: 'Reporting starts', reason };
    }
    const platform = cell(values, findColumn(header, ['Platform']));
    fields.source = platform ? platform.toLowerCase() : 'facebook';
    fields.medium = 'paid_social';
    return undefined;
  },
};
