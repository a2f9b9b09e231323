import type { ContactRow, IdentityRow, StageChangeRow } from '../domain/crm.js';
import type { EventRow } from '../domain/event.js';

/** What identify/alias calls change: contacts to upsert, identities to add, stage changes to record. */
export interface IdentityChanges {
  contacts: Map<string, ContactRow>;
  identities: IdentityRow[];
  stageChanges: StageChangeRow[];
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** Segment traits → contact fields (the spec's reserved traits, plus snake_case spellings). */
export function traitsToFields(t: Record<string, unknown>): Partial<ContactRow> {
  const name = str(t.name);
  const [first, ...rest] = name ? name.split(/\s+/) : [];
  const company = t.company;
  const companyName =
    str(company) ??
    (typeof company === 'object' && company ? str((company as Record<string, unknown>).name) : null);
  const size =
    typeof company === 'object' && company ? (company as Record<string, unknown>).employee_count : undefined;
  const out: Partial<ContactRow> = {};
  const set = <K extends keyof ContactRow>(k: K, v: ContactRow[K] | null | undefined) => {
    if (v !== null && v !== undefined) out[k] = v;
  };
  set('email', str(t.email)?.toLowerCase());
  set('firstName', str(t.firstName) ?? str(t.first_name) ?? first ?? null);
  set('lastName', str(t.lastName) ?? str(t.last_name) ?? (rest.length ? rest.join(' ') : null));
  set('company', companyName);
  set('jobTitle', str(t.title) ?? str(t.job_title));
  set(
    'industry',
    str(t.industry) ??
      (typeof company === 'object' && company ? str((company as Record<string, unknown>).industry) : null),
  );
  set('companySize', str(t.company_size) ?? (size !== undefined ? String(size) : null));
  set('country', str((t.address as Record<string, unknown> | undefined)?.country) ?? str(t.country));
  set('market', str(t.market));
  return out;
}

export function blankContact(id: string, at: Date): ContactRow {
  return {
    id,
    email: null,
    firstName: null,
    lastName: null,
    company: null,
    industry: null,
    jobTitle: null,
    companySize: null,
    country: null,
    market: null,
    lifecycleStage: 'subscriber',
    originalSource: null,
    owner: null,
    createdAt: at,
    subscriberAt: null,
    leadAt: null,
    mqlAt: null,
    salAt: null,
    sqlAt: null,
    opportunityAt: null,
    customerAt: null,
    properties: {},
  };
}

/**
 * Applies one identify to a contact (pure): traits fill fields, and the first identify with an
 * e-mail is the lead date (the earliest one wins when events arrive out of order).
 *
 * @example
 * applyIdentify(null, 'u1', { email: 'a@b.co' }, at, 'Email').contact.leadAt; // at
 */
export function applyIdentify(
  existing: ContactRow | null,
  id: string,
  traits: Record<string, unknown>,
  at: Date,
  channel: string | null,
): { contact: ContactRow; becameLead: boolean } {
  const base = existing ?? { ...blankContact(id, at), originalSource: channel };
  const fields = traitsToFields(traits);
  const contact: ContactRow = { ...base, ...fields, createdAt: base.createdAt < at ? base.createdAt : at };
  let becameLead = false;
  if (contact.email && (!contact.leadAt || at < contact.leadAt)) {
    becameLead = !contact.leadAt;
    contact.leadAt = at;
    if (contact.lifecycleStage === 'subscriber' || contact.lifecycleStage === null)
      contact.lifecycleStage = 'lead';
  }
  return { contact, becameLead };
}

/** The user an identify/alias links an anonymous id to, if any. */
export function identityLink(e: EventRow, previousId: string | null): IdentityRow | null {
  if (e.type === 'alias' && previousId && e.userId)
    return { anonymousId: previousId, userId: e.userId, firstSeen: e.timestamp, via: 'alias' };
  if (e.type === 'identify' && e.anonymousId && e.userId)
    return { anonymousId: e.anonymousId, userId: e.userId, firstSeen: e.timestamp, via: 'identify' };
  return null;
}
