/**
 * Identity resolution, once for live tracking and `import events`: identify/alias link anonymous ids
 * to a person, identify traits update the contact, and the first identify with an e-mail is its lead
 * date. The rules (docs/tracking.md, INTERFACE.md "Journeys"):
 * - The contact of an identify is the one whose id is the `userId`; without a `userId`, the one with
 *   `traits.email` (trimmed, lower-cased): one this batch already touched, else the stored one (the
 *   earliest created), else the contact whose id is that e-mail, else a new contact with it as id.
 * - An anonymous id belongs to the first user it is linked to: links of a batch are taken in event
 *   time order, and an id already linked keeps its link.
 * - The lead date is the earliest identify with an e-mail. Each batch that sets a contact's lead date
 *   or moves it earlier records one `lead` stage change at the date the contact keeps (once per date),
 *   so the history always holds the contact's lead date.
 */
import { type ContactRow, historyKey, type IdentityRow, type StageChangeRow } from '../domain/crm.js';
import type { EventRow } from '../domain/event.js';

/** What identify/alias calls change: contacts to upsert, identities to add, stage changes to record. */
export interface IdentityChanges {
  contacts: ContactRow[];
  identities: IdentityRow[];
  stageChanges: StageChangeRow[];
}

/** One event as the resolver reads it (what the import parses and the tracker keeps per message). */
export interface IdentityCall {
  row: EventRow;
  /** alias: the id linked to the userId. */
  previousId: string | null;
  /** identify: the traits (`context.traits` under `traits`). */
  traits: Record<string, unknown> | null;
}

/**
 * What the resolver needs to know of stored people. Contacts still being written count as stored
 * (the tracker's next group is prepared before the previous one commits).
 */
export interface IdentityLookup {
  /** Contacts by id (ids with no contact are left out). */
  contactsByIds(ids: readonly string[]): Promise<Map<string, ContactRow>>;
  /** Lower-cased e-mail → the (earliest created) contact with it. */
  contactsByEmails(emails: readonly string[]): Promise<Map<string, ContactRow>>;
  /** Which of these anonymous ids are linked to a user already. */
  linkedAnonymousIds(ids: readonly string[]): Promise<Set<string>>;
  /** Stage-history keys (`historyKey`) already recorded for these contacts. */
  recordedStages(contactIds: readonly string[]): Promise<Set<string>>;
}

export interface ResolveOptions {
  /** The stage-history reason: `identify` (tracking) or `import:<file name>`. */
  reason: string;
  /** Every event carrying both ids links them (`via: import`; presets whose rows have both). */
  linkEveryEvent?: boolean;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** The e-mail an identify gives, as contacts store it (trimmed, lower-cased). */
function emailOf(c: IdentityCall): string | null {
  return str(c.traits?.email)?.toLowerCase() ?? null;
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
  // Traits are the client's JSON: only a string or a finite number is a size (an object whose
  // `toString` is not a function would throw in String()).
  const sizeText = typeof size === 'number' && Number.isFinite(size) ? String(size) : str(size);
  set('companySize', str(t.company_size) ?? sizeText);
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

/** Stored people the pure step starts from: contacts by id, and by lower-cased e-mail. */
export interface KnownPeople {
  byId: ReadonlyMap<string, ContactRow>;
  byEmail: ReadonlyMap<string, ContactRow>;
}

/**
 * The pure part of resolveIdentity: contacts after the batch's identifies, every link candidate (in
 * call order), and the contacts whose lead date the batch set or moved earlier.
 *
 * @example
 * const known = { byId: new Map(), byEmail: new Map() };
 * applyIdentityCalls([{ row: identifyRow, previousId: null, traits: { email: 'a@b.co' } }], known).leads.length; // 1
 */
export function applyIdentityCalls(
  calls: readonly IdentityCall[],
  known: KnownPeople,
  linkEveryEvent = false,
): { contacts: Map<string, ContactRow>; links: IdentityRow[]; leads: ContactRow[] } {
  const links: IdentityRow[] = [];
  if (linkEveryEvent)
    for (const { row } of calls)
      if (row.anonymousId && row.userId)
        links.push({
          anonymousId: row.anonymousId,
          userId: row.userId,
          firstSeen: row.timestamp,
          via: 'import',
        });
  const contacts = new Map<string, ContactRow>();
  /** E-mail → the contact this batch gave it, found before the stored one. */
  const touchedByEmail = new Map<string, string>();
  for (const c of calls) {
    const e = c.row;
    if (e.type !== 'identify' && e.type !== 'alias') continue;
    const link = identityLink(e, c.previousId);
    if (link) links.push(link);
    if (e.type !== 'identify') continue;
    const email = emailOf(c);
    const touched = email ? touchedByEmail.get(email) : undefined;
    const id = e.userId ?? touched ?? (email ? (known.byEmail.get(email)?.id ?? email) : null);
    if (!id) continue;
    if (!e.userId && e.anonymousId)
      links.push({ anonymousId: e.anonymousId, userId: id, firstSeen: e.timestamp, via: 'identify' });
    const before = contacts.get(id) ?? known.byId.get(id) ?? null;
    const { contact } = applyIdentify(before, id, c.traits ?? {}, e.timestamp, e.channel);
    contacts.set(id, contact);
    if (before?.email && before.email !== contact.email && touchedByEmail.get(before.email) === id)
      touchedByEmail.delete(before.email);
    if (contact.email && !touchedByEmail.has(contact.email)) touchedByEmail.set(contact.email, id);
  }
  const leads: ContactRow[] = [];
  for (const [id, contact] of contacts) {
    const before = known.byId.get(id)?.leadAt?.getTime();
    if (contact.leadAt && contact.leadAt.getTime() !== before) leads.push(contact);
  }
  return { contacts, links, leads };
}

/**
 * The links to store: candidates in event time order, the first per anonymous id, none for an id
 * already linked.
 *
 * @example
 * firstLinks([laterLink, earlierLink], new Set()); // [earlierLink]
 */
export function firstLinks(links: readonly IdentityRow[], linked: ReadonlySet<string>): IdentityRow[] {
  const taken = new Set(linked);
  const out: IdentityRow[] = [];
  for (const l of [...links].sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime())) {
    if (taken.has(l.anonymousId)) continue;
    taken.add(l.anonymousId);
    out.push(l);
  }
  return out;
}

/**
 * Resolves one batch of events (in the order they are applied) against stored people: the contacts
 * to upsert, identity links to add and lead stage changes to record. Live tracking and `import
 * events` both call this; only the lookup and the history reason differ.
 *
 * @example
 * const changes = await resolveIdentity(calls, lookup, { reason: 'identify' });
 * await ws.writeTracking({ events, sessions, ...changes });
 */
export async function resolveIdentity(
  calls: readonly IdentityCall[],
  lookup: IdentityLookup,
  opts: ResolveOptions,
): Promise<IdentityChanges> {
  const linkEveryEvent = opts.linkEveryEvent === true;
  const relevant = linkEveryEvent
    ? calls
    : calls.filter((c) => c.row.type === 'identify' || c.row.type === 'alias');
  if (relevant.length === 0) return { contacts: [], identities: [], stageChanges: [] };
  const identifies = relevant.filter((c) => c.row.type === 'identify');
  const emails = new Set<string>();
  for (const c of identifies) {
    const email = c.row.userId ? null : emailOf(c);
    if (email) emails.add(email);
  }
  const byEmail = emails.size ? await lookup.contactsByEmails([...emails]) : new Map<string, ContactRow>();
  const ids = new Set<string>();
  for (const c of identifies) {
    const email = emailOf(c);
    const id = c.row.userId ?? (email ? (byEmail.get(email)?.id ?? email) : null);
    if (id) ids.add(id);
  }
  for (const c of byEmail.values()) ids.delete(c.id);
  const byId = new Map(ids.size ? await lookup.contactsByIds([...ids]) : []);
  for (const c of byEmail.values()) if (!byId.has(c.id)) byId.set(c.id, c);
  const draft = applyIdentityCalls(relevant, { byId, byEmail }, linkEveryEvent);
  const anonymous = [...new Set(draft.links.map((l) => l.anonymousId))];
  const linked = anonymous.length ? await lookup.linkedAnonymousIds(anonymous) : new Set<string>();
  // A lead row is only ever recorded at the date the contact keeps, so a contact that had no lead date
  // has no lead row: only a lead date moved earlier needs the history checked (live tracking's new
  // leads cost no query).
  const moved = draft.leads.filter((c) => byId.get(c.id)?.leadAt).map((c) => c.id);
  const recorded = moved.length ? await lookup.recordedStages(moved) : new Set<string>();
  const stageChanges: StageChangeRow[] = [];
  for (const c of draft.leads) {
    const at = c.leadAt as Date;
    if (recorded.has(historyKey(c.id, 'lead', at))) continue;
    stageChanges.push({ contactId: c.id, stage: 'lead', at, reason: opts.reason });
  }
  return {
    contacts: [...draft.contacts.values()],
    identities: firstLinks(draft.links, linked),
    stageChanges,
  };
}
