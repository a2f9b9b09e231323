/**
 * HubSpot's CRM exports (Contacts / Deals → Export, CSV): the property labels as column names,
 * dates as `2026-03-14 10:23` in the account's time zone, stage names as labels (`Marketing
 * Qualified Lead`) or internal values (`marketingqualifiedlead`), depending on the export setting.
 */
import { squash } from '../values.js';
import { cell, findColumn, type TabularPreset } from './preset.js';

/** HubSpot's Original Source values (labels and internal names) → GA4-style channel names. */
const SOURCES: Readonly<Record<string, string>> = {
  organicsearch: 'Organic Search',
  paidsearch: 'Paid Search',
  emailmarketing: 'Email',
  socialmedia: 'Organic Social',
  organicsocial: 'Organic Social',
  paidsocial: 'Paid Social',
  referrals: 'Referral',
  aireferrals: 'Referral',
  directtraffic: 'Direct',
  othercampaigns: 'Unassigned',
  offline: 'Offline',
  offlinesources: 'Offline',
};

/** HubSpot's default sales pipeline: stage ids and labels (squashed, they are the same) → labels. */
const DEAL_STAGES: Readonly<Record<string, string>> = {
  appointmentscheduled: 'Appointment Scheduled',
  qualifiedtobuy: 'Qualified To Buy',
  presentationscheduled: 'Presentation Scheduled',
  decisionmakerboughtin: 'Decision Maker Bought-In',
  contractsent: 'Contract Sent',
  closedwon: 'Closed Won',
  closedlost: 'Closed Lost',
};

export const HUBSPOT_CONTACTS: TabularPreset = {
  name: 'hubspot-contacts',
  kind: 'contacts',
  format: 'csv',
  description: 'HubSpot contacts export (Record ID, Lifecycle Stage, Became a … Date)',
  dates: 'loose',
  required: ['Record ID', 'Create Date'],
  columns: {
    id: ['Record ID'],
    email: ['Email'],
    first_name: ['First Name'],
    last_name: ['Last Name'],
    company: ['Company Name', 'Company'],
    industry: ['Industry'],
    job_title: ['Job Title'],
    company_size: ['Number of Employees', 'Company size'],
    country: ['Country/Region', 'Country'],
    lifecycle_stage: ['Lifecycle Stage'],
    original_source: ['Original Source', 'Original Traffic Source'],
    owner: ['Contact owner', 'HubSpot Owner'],
    created_at: ['Create Date'],
    subscriber_at: ['Became a Subscriber Date'],
    lead_at: ['Became a Lead Date'],
    mql_at: ['Became a Marketing Qualified Lead Date'],
    sql_at: ['Became a Sales Qualified Lead Date'],
    opportunity_at: ['Became an Opportunity Date'],
    customer_at: ['Became a Customer Date'],
  },
  derive({ fields }) {
    const source = fields.original_source;
    if (source) fields.original_source = SOURCES[squash(source)] ?? source;
    return undefined;
  },
};

const DATE_ENTERED_RE = /^Date entered "(.+?)(?: \((.+)\))?"$/i;

export const HUBSPOT_DEALS: TabularPreset = {
  name: 'hubspot-deals',
  kind: 'deals',
  format: 'csv',
  description: 'HubSpot deals export (Record ID, Deal Stage, Close Date, associated contact)',
  dates: 'loose',
  required: ['Record ID', 'Deal Stage', 'Create Date'],
  columns: {
    id: ['Record ID'],
    name: ['Deal Name'],
    amount: ['Amount'],
    currency: ['Currency'],
    stage: ['Deal Stage'],
    pipeline: ['Pipeline'],
    owner: ['Deal owner'],
    created_at: ['Create Date'],
    closed_at: ['Close Date'],
    contact_id: ['Associated Contact IDs', 'Associated Contact ID'],
    contact_email: ['Associated Contact Email'],
    company_id: ['Associated Company IDs', 'Associated Company ID'],
  },
  derivedFrom: { won: 'Is Closed Won', contact_email: 'Associated Contact' },
  derive(input) {
    const { fields, values, header, entries } = input;
    if (fields.stage) {
      const label = DEAL_STAGES[squash(fields.stage)];
      // A custom pipeline's stage: kept as written (won/lost come from Is Closed Won), reported.
      if (!label) input.unmappedStage = fields.stage;
      fields.stage = label ?? fields.stage;
    }
    // Several associated contacts (or companies): the first is the deal's.
    for (const f of ['contact_id', 'company_id'] as const) {
      if (fields[f]) fields[f] = fields[f].split(/[;,]/)[0]?.trim() ?? '';
      if (!fields[f]) delete fields[f];
    }
    if (!fields.contact_id && !fields.contact_email) {
      // "Jane Doe (jane@acme.com)"
      const m = /\(([^()\s]+@[^()\s]+)\)/.exec(cell(values, findColumn(header, ['Associated Contact'])));
      if (m?.[1]) fields.contact_email = m[1];
    }
    // Is Closed Won = false is open or lost; Is Deal Closed? tells which. Without either: the stage.
    const closedWon = squash(cell(values, findColumn(header, ['Is Closed Won'])));
    const closed = squash(cell(values, findColumn(header, ['Is Deal Closed?', 'Is Closed'])));
    if (closed === 'true' && closedWon) fields.won = closedWon;
    else if (closed === '' && closedWon === 'true') fields.won = 'true';
    for (const column of header) {
      const m = DATE_ENTERED_RE.exec(column);
      const at = cell(values, column);
      if (m?.[1] && at) entries.push({ stage: DEAL_STAGES[squash(m[1])] ?? m[1], at, column });
    }
    return undefined;
  },
};
