/**
 * What the CRM export files in test/fixtures/import/crm-exports/ must give, worked out by hand from
 * the files (shared by the CLI and the HTTP tests, so both check the same numbers).
 *
 * HubSpot deals, Q1 2026: won 9001 ($24,000, contact 101), 9004 ($6,000, contact 199 never exported),
 * 9005 (no amount); lost 9002 (no amount), 9007 ($3,000, contacts 198;197 never exported); open 9003
 * (no amount), 9006 ($5,000, custom stage). Won 3, lost 2: win rate 3/5 = 0.6; revenue 24,000 + 6,000
 * = 30,000; lead revenue (won deals whose contact has a lead date) 24,000 (9005 has none, 9004 no
 * contact); pipeline created 24,000 + 6,000 + 5,000 + 3,000 = 38,000; average deal size 30,000 / 3.
 * Leads: 101, 103 (Other, but dated), 104 (Partner, dated), 105 = 4; 102 and 106 (Other, no dates)
 * have no stage and no lead date.
 *
 * Salesforce opportunities, Q1 2026: won Z01 ($18,000, sam@), Z04 ($9,500, ops@acmecorp.com never
 * exported), Z05 (no amount, ola@); lost Z02 (no amount), Z07 ($4,000, bill@initech.com never
 * exported); open Z03 (no amount), Z06 ($2,000, custom stage). Win rate 0.6; revenue 27,500; lead
 * revenue 18,000 (Ola's status Partner Managed is unmapped: no lead date); pipeline created 18,000 +
 * 9,500 + 2,000 + 4,000 = 33,500; average deal size 27,500 / 3. Leads: Maria, Sam, Kim = 3.
 */
import type { WorkspaceStore } from '../src/store/store.js';

export const CRM_FIXTURES = new URL('./fixtures/import/crm-exports/', import.meta.url).pathname;
export const Q1 = { from: '2026-01-01', to: '2026-03-31' };

/** Deal counts are base measures: custom KPIs over them, as a user would define them. */
export const DEAL_COUNT_KPIS = [
  { id: 'deals_won', formula: 'won_deals' },
  { id: 'deals_closed', formula: 'won_deals + lost_deals' },
  { id: 'deals_opened', formula: 'deals_created' },
] as const;

export interface Expected {
  kpis: Record<string, number>;
  contacts: { file: string; preset: string; rows: number; unmapped: Record<string, number> };
  deals: { file: string; preset: string; rows: number; unmapped: Record<string, number> };
  /** Deals of the file whose contact is never exported, and the lines they are on. */
  unlinked: number[];
  /** Deals that name a contact in the contacts file (linked when it arrives after them). */
  linkedLater: number;
  wonWithoutAmount: number[];
  /** Unmapped stage groups of each file: column, value, lines. */
  contactStages: Array<[string, string, number[]]>;
  dealStages: Array<[string, string, number[]]>;
  /** The deals' contact column and the wording of how the link is made. */
  contactColumn: string;
}

export const HUBSPOT: Expected = {
  kpis: {
    win_rate: 0.6,
    revenue: 30_000,
    lead_revenue: 24_000,
    pipeline_created: 38_000,
    avg_deal_size: 10_000,
    leads: 4,
    deals_won: 3,
    deals_closed: 5,
    deals_opened: 7,
  },
  contacts: {
    file: 'hubspot-contacts.csv',
    preset: 'hubspot-contacts',
    rows: 6,
    unmapped: { Other: 3, Partner: 1 },
  },
  deals: { file: 'hubspot-deals.csv', preset: 'hubspot-deals', rows: 7, unmapped: { 'Verbal Commit': 1 } },
  unlinked: [5, 8],
  linkedLater: 5,
  wonWithoutAmount: [6],
  contactStages: [
    ['Lifecycle Stage', 'Other', [3, 4, 7]],
    ['Lifecycle Stage', 'Partner', [5]],
  ],
  dealStages: [['Deal Stage', 'Verbal Commit', [7]]],
  contactColumn: 'Associated Contact IDs',
};

export const SALESFORCE: Expected = {
  kpis: {
    win_rate: 0.6,
    revenue: 27_500,
    lead_revenue: 18_000,
    pipeline_created: 33_500,
    avg_deal_size: 27_500 / 3,
    leads: 3,
    deals_won: 3,
    deals_closed: 5,
    deals_opened: 7,
  },
  contacts: {
    file: 'salesforce-leads.csv',
    preset: 'salesforce-leads',
    rows: 5,
    unmapped: { 'Partner Managed': 1, Recycled: 1 },
  },
  deals: {
    file: 'salesforce-opportunities.csv',
    preset: 'salesforce-opportunities',
    rows: 7,
    unmapped: { 'Technical Validation': 1 },
  },
  unlinked: [5, 8],
  linkedLater: 5,
  wonWithoutAmount: [6],
  contactStages: [
    ['Lead Status', 'Partner Managed', [4]],
    ['Lead Status', 'Recycled', [5]],
  ],
  dealStages: [['Stage', 'Technical Validation', [7]]],
  contactColumn: 'Contact ID',
};

/** The stored contacts and deals of a workspace (times as ISO text, properties parsed), to compare. */
export async function snapshot(ws: WorkspaceStore): Promise<{ contacts: unknown[]; deals: unknown[] }> {
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          v instanceof Date
            ? v.toISOString()
            : k === 'properties' && typeof v === 'string'
              ? JSON.parse(v)
              : v,
        ]),
      ),
    );
  return {
    contacts: norm(await ws.query(`SELECT * EXCLUDE (workspace_id) FROM @contacts ORDER BY id`)),
    deals: norm(await ws.query(`SELECT * EXCLUDE (workspace_id) FROM @deals ORDER BY id`)),
  };
}

/** The summary's warning groups as [code, column, value, lines], for comparing. */
export function warningGroups(
  warnings: ReadonlyArray<{ code: string; column: string; value: string | null; lines: number[] }>,
): Array<[string, string, string | null, number[]]> {
  return warnings.map((w) => [w.code, w.column, w.value, w.lines]);
}

/** The warning groups a contacts-first deals import gives, most rows first. */
export function dealWarnings(
  e: Expected,
  contactsFirst: boolean,
): Array<[string, string, string | null, number[]]> {
  const unlinked = contactsFirst ? e.unlinked : [2, 3, 4, 5, 6, 7, 8];
  const groups: Array<[string, string, string | null, number[]]> = [
    ['contact_not_imported', e.contactColumn, null, unlinked],
    ['won_without_amount', 'Amount', null, e.wonWithoutAmount],
    ...e.dealStages.map(([c, v, l]): [string, string, string | null, number[]] => [
      'unmapped_stage',
      c,
      v,
      l,
    ]),
  ];
  // Most rows first; ties by the first line.
  return groups.sort((a, b) => b[3].length - a[3].length || (a[3][0] ?? 0) - (b[3][0] ?? 0));
}
