import type {
  CampaignRow,
  ContactRow,
  DealRow,
  DealStageChangeRow,
  EmailEventRow,
  IdentityRow,
  SocialRow,
  SpendRow,
  StageChangeRow,
} from '../domain/crm.js';
import type { EventRow, SessionRow } from '../domain/event.js';
import type { WorkspaceStore } from '../store/store.js';

const BATCH = 50_000;

/** Buffers generated rows and writes them through the store's bulk paths in large batches. */
export class DemoWriter {
  private events: EventRow[] = [];
  private sessions: SessionRow[] = [];
  private identities: IdentityRow[] = [];
  private email: EmailEventRow[] = [];
  private pending: Promise<void> = Promise.resolve();
  private inFlight = 0;
  readonly written = { events: 0, sessions: 0, email: 0 };

  /** Rows before this instant (the generator's warm-up) are not stored. */
  startMs = Number.NEGATIVE_INFINITY;
  /** Nor after this one (a visit that starts just before the end has pages after it). */
  endMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly ws: WorkspaceStore,
    private readonly onProgress?: (written: { events: number; sessions: number; email: number }) => void,
  ) {}

  event(r: EventRow): void {
    if (r.timestamp.getTime() < this.startMs || r.timestamp.getTime() > this.endMs) return;
    this.events.push(r);
    if (this.events.length >= BATCH) this.flushEvents();
  }
  session(r: SessionRow): void {
    if (r.startedAt.getTime() < this.startMs) return;
    this.sessions.push(r);
    if (this.sessions.length >= BATCH) this.flushSessions();
  }
  identity(r: IdentityRow): void {
    this.identities.push(r);
  }
  emailEvent(r: EmailEventRow): void {
    if (r.timestamp.getTime() < this.startMs || r.timestamp.getTime() > this.endMs) return;
    this.email.push(r);
    if (this.email.length >= BATCH) this.flushEmail();
  }

  /** True when batches queue up for the store: the generator awaits `drain()` then, bounding memory. */
  get backlogged(): boolean {
    return this.inFlight > 1;
  }

  private chain(fn: () => Promise<void>): void {
    this.inFlight++;
    this.pending = this.pending.then(fn).finally(() => {
      this.inFlight--;
    });
  }
  private flushEvents(): void {
    const rows = this.events;
    this.events = [];
    this.chain(async () => {
      await this.ws.appendEvents(rows);
      this.written.events += rows.length;
      this.onProgress?.(this.written);
    });
  }
  private flushSessions(): void {
    const rows = this.sessions;
    this.sessions = [];
    this.chain(async () => {
      await this.ws.appendSessions(rows);
      this.written.sessions += rows.length;
    });
  }
  private flushEmail(): void {
    const rows = this.email;
    this.email = [];
    this.chain(async () => {
      await this.ws.appendEmailEvents(rows);
      this.written.email += rows.length;
      this.onProgress?.(this.written);
    });
  }

  /** Waits for every batch handed to the store so far. */
  drain(): Promise<void> {
    return this.pending;
  }

  async finish(rest: {
    contacts: ContactRow[];
    stageChanges: StageChangeRow[];
    deals: DealRow[];
    dealStages: DealStageChangeRow[];
    spend: SpendRow[];
    social: SocialRow[];
    campaigns: CampaignRow[];
  }): Promise<void> {
    this.flushEvents();
    this.flushSessions();
    this.flushEmail();
    await this.drain();
    await this.ws.appendIdentities(this.identities);
    await this.ws.upsertContacts(rest.contacts);
    await this.ws.appendStageChanges(rest.stageChanges);
    await this.ws.upsertDeals(rest.deals);
    await this.ws.appendDealStageChanges(rest.dealStages);
    await this.ws.appendSpend(rest.spend);
    await this.ws.appendSocial(rest.social);
    await this.ws.upsertCampaigns(rest.campaigns);
  }
}
