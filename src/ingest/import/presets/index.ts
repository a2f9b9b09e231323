/**
 * The presets `--preset NAME` accepts (INTERFACE.md): each reads one tool's export as it comes.
 */
import { UserError } from '../../../core/errors.js';
import type { ImportKind } from '../types.js';
import { GOOGLE_ADS, META_ADS } from './ads.preset.js';
import { GA4_BIGQUERY } from './ga4.preset.js';
import { HUBSPOT_CONTACTS, HUBSPOT_DEALS } from './hubspot.preset.js';
import type { Preset } from './preset.js';
import { SALESFORCE_LEADS, SALESFORCE_OPPORTUNITIES } from './salesforce.preset.js';

export const PRESETS: readonly Preset[] = [
  HUBSPOT_CONTACTS,
  HUBSPOT_DEALS,
  SALESFORCE_LEADS,
  SALESFORCE_OPPORTUNITIES,
  GOOGLE_ADS,
  META_ADS,
  GA4_BIGQUERY,
];

/**
 * The preset named `name` for importing `kind`, or a UserError naming the ones that exist.
 *
 * @example
 * presetFor('contacts', 'hubspot-contacts').kind; // 'contacts'
 * presetFor('deals', 'hubspot-contacts');         // throws: hubspot-contacts imports contacts
 */
export function presetFor(kind: ImportKind, name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) {
    throw new UserError(`unknown preset "${name}" (${PRESETS.map((x) => x.name).join(', ')})`, {
      field: '--preset',
    });
  }
  if (p.kind !== kind) {
    throw new UserError(
      `preset ${name} imports ${p.kind}, not ${kind}: northstar import ${p.kind} FILE --preset ${name}`,
      {
        field: '--preset',
      },
    );
  }
  return p;
}

export type { EventsPreset, Preset, TabularPreset } from './preset.js';
