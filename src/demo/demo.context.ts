import type { Rng } from '../core/random.js';
import { tzOffsetMs } from '../core/time.js';
import type {
  CampaignRow,
  ContactRow,
  DealRow,
  DealStageChangeRow,
  SocialRow,
  SpendRow,
  StageChangeRow,
} from '../domain/crm.js';
import type { Scale } from './demo.config.js';
import type { DemoWriter } from './demo.writer.js';

export interface DemoOptions {
  seed: number;
  scale: Scale;
  /** First local day generated (1 January three years before `until`'s year). */
  from: string;
  /** Last local day generated (inclusive); nothing happens after its end. */
  until: string;
  timezone: string;
  currency: string;
}

/** A generated person: the CRM contact plus what the generator needs to keep simulating them. */
export interface Person {
  contact: ContactRow;
  anonymousId: string;
  quality: number;
  unsubscribedAt: number | null;
}

/** Shared state of one demo run; generators add to it, the writer stores it. */
export class DemoContext {
  readonly endMs: number;
  /** The range's first instant: the generator warms up before it, but stores nothing dated earlier. */
  readonly startMs: number;
  readonly people: Person[] = [];
  readonly stageChanges: StageChangeRow[] = [];
  readonly deals: DealRow[] = [];
  readonly dealStages: DealStageChangeRow[] = [];
  readonly spend = new Map<string, SpendRow>();
  readonly social: SocialRow[] = [];
  readonly campaigns = new Map<string, CampaignRow>();
  private offsets = new Map<string, number>();
  private seq = 0;

  constructor(
    readonly opts: DemoOptions,
    readonly rng: Rng,
    readonly out: DemoWriter,
  ) {
    this.endMs = this.localTime(opts.until, 86_400) - 1;
    this.startMs = this.localTime(opts.from, 0);
    out.startMs = this.startMs;
    out.endMs = this.endMs;
  }

  /** UTC ms of a local time of day (seconds after midnight) on a local date. */
  localTime(date: string, secondsOfDay: number): number {
    let off = this.offsets.get(date);
    if (off === undefined) {
      off = tzOffsetMs(new Date(Date.parse(`${date}T12:00:00Z`)), this.opts.timezone);
      this.offsets.set(date, off);
    }
    return Date.parse(`${date}T00:00:00Z`) + secondsOfDay * 1000 - off;
  }

  /** A unique, reproducible id: prefix + 14 hex digits from the run's generator + a sequence. */
  id(prefix: string): string {
    this.seq++;
    return `${prefix}_${this.rng.hex(10)}${this.seq.toString(36)}`;
  }

  /** Adds paid clicks (sessions) to the day's spend row for a channel and campaign. */
  addSpend(
    date: string,
    channel: string,
    source: string | null,
    medium: string | null,
    campaign: string | null,
    cost: number,
    clicks: number,
    ctr: number,
  ): void {
    if (date < this.opts.from) return; // the warm-up before the range stores no spend
    if (date < this.opts.from) return; // the warm-up before the range has no stored spend
    const key = `${date}|${channel}|${campaign ?? ''}`;
    let row = this.spend.get(key);
    if (!row) {
      row = {
        date,
        channel,
        source,
        medium,
        campaign,
        cost: 0,
        currency: this.opts.currency,
        impressions: 0,
        clicks: 0,
        reach: 0,
      };
      this.spend.set(key, row);
    }
    row.cost += cost;
    row.clicks = (row.clicks ?? 0) + clicks;
    if (ctr > 0) {
      const impressions = Math.round(clicks / ctr);
      row.impressions = (row.impressions ?? 0) + impressions;
      row.reach = (row.reach ?? 0) + Math.round(impressions * 0.62);
    }
  }

  campaign(row: CampaignRow): void {
    if (row.launchedAt.getTime() < this.startMs) return;
    if (!this.campaigns.has(row.id)) this.campaigns.set(row.id, row);
  }
}
