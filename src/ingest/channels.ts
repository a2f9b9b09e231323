import { UserError } from '../core/errors.js';
import { type ChannelRule, channelRuleSchema, channelRulesSchema } from '../domain/workspace.js';
import { sourceCategory } from './source-lists.js';
import { NOT_SET } from './traffic-source.js';
import { hostOf } from './utm.js';

/** GA4's default channel groups, in the order their rules are evaluated. */
export const DEFAULT_CHANNELS = [
  'Direct',
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Display',
  'Paid Other',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'Organic Search',
  'Referral',
  'Email',
  'Affiliates',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Unassigned',
] as const;
export type DefaultChannel = (typeof DEFAULT_CHANNELS)[number];

/** What channel rules look at. Null source and medium (and no campaign) is a direct visit. */
export interface ChannelInput {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer?: string | null;
  clickIdType?: string | null;
}

const PAID_MEDIUM_RE = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const SHOP_CAMPAIGN_RE = /^(.*(([^a-df-z]|^)shop|shopping).*)$/;
const DISPLAY_MEDIUMS = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const SOCIAL_MEDIUMS = new Set([
  'social',
  'social-network',
  'social-media',
  'sm',
  'social network',
  'social media',
]);
const EMAIL_VALUES = new Set(['email', 'e-mail', 'e_mail', 'e mail']);
const REFERRAL_MEDIUMS = new Set(['referral', 'app', 'link']);

/**
 * GA4's default channel group for a source / medium / campaign (case-insensitive, as GA4 is).
 *
 * @example
 * defaultChannel({ source: 'google', medium: 'cpc', campaign: null });         // 'Paid Search'
 * defaultChannel({ source: 'linkedin', medium: 'paid_social', campaign: 'q3' }); // 'Paid Social'
 * defaultChannel({ source: null, medium: null, campaign: null });              // 'Direct'
 * defaultChannel({ source: 'partner', medium: 'newsletter', campaign: null });  // 'Unassigned'
 */
export function defaultChannel(input: ChannelInput): DefaultChannel {
  const source = (input.source ?? '').trim().toLowerCase();
  const medium = (input.medium ?? '').trim().toLowerCase();
  const campaign = (input.campaign ?? '').trim().toLowerCase();
  const direct = source === '' && medium === '' && campaign === '';
  if (direct || (source === '(direct)' && (medium === '(none)' || medium === NOT_SET || medium === ''))) {
    return 'Direct';
  }
  if (campaign.includes('cross-network')) return 'Cross-network';
  const category = sourceCategory(source);
  const paid = PAID_MEDIUM_RE.test(medium);
  const shopCampaign = SHOP_CAMPAIGN_RE.test(campaign);
  if (paid) {
    if (category === 'shopping' || shopCampaign) return 'Paid Shopping';
    if (category === 'search') return 'Paid Search';
    if (category === 'social') return 'Paid Social';
    if (category === 'video') return 'Paid Video';
  }
  if (DISPLAY_MEDIUMS.has(medium)) return 'Display';
  if (paid) return 'Paid Other';
  if (category === 'shopping' || shopCampaign) return 'Organic Shopping';
  if (category === 'social' || SOCIAL_MEDIUMS.has(medium)) return 'Organic Social';
  if (category === 'video' || medium.includes('video')) return 'Organic Video';
  if (category === 'search' || medium === 'organic') return 'Organic Search';
  if (REFERRAL_MEDIUMS.has(medium)) return 'Referral';
  if (EMAIL_VALUES.has(source) || EMAIL_VALUES.has(medium)) return 'Email';
  if (medium === 'affiliate' || medium === 'affiliates') return 'Affiliates';
  if (medium === 'audio') return 'Audio';
  if (source === 'sms' || medium === 'sms') return 'SMS';
  if (medium.endsWith('push') || medium.includes('mobile') || medium.includes('notification')) {
    return 'Mobile Push Notifications';
  }
  if (source === 'firebase') return 'Mobile Push Notifications';
  return 'Unassigned';
}

/** A condition: an exact value (case-insensitive), a `/regex/` (flags allowed), or a list of them. */
export { type ChannelRule, channelRuleSchema, channelRulesSchema };

type Field = keyof ChannelRule['when'];

/** Tests a value (and, for referrers, the full URL as `extra`). */
type Matcher = (value: string, extra: string | null) => boolean;

/** Rules ready to evaluate (regexes compiled once per workspace, not per event). */
export interface CompiledChannelRules {
  readonly rules: ReadonlyArray<{ channel: string; tests: ReadonlyArray<readonly [Field, Matcher]> }>;
}

/** The demo workspace's rules: offline events and webinars as their own channels. */
export const DEMO_CHANNEL_RULES: readonly ChannelRule[] = [
  { channel: 'Events', when: { medium: ['event', 'tradeshow', 'trade-show'] } },
  { channel: 'Webinars', when: { medium: 'webinar' } },
];

const REGEX_RE = /^\/(.*)\/([a-z]*)$/s;

function compileCondition(condition: string, field: Field, where: string): Matcher {
  const m = REGEX_RE.exec(condition);
  if (!m) {
    let want = condition.trim().toLowerCase();
    // Referrers are compared as hosts, which are kept without `www.`.
    if (field === 'referrer' && want.startsWith('www.')) want = want.slice(4);
    return (value, extra) => value === want || extra === want;
  }
  let re: RegExp;
  try {
    // Case-insensitive like GA4; `g`/`y` would make test() stateful, so they are dropped.
    const flags = new Set(`${(m[2] ?? '').replace(/[gy]/g, '')}i`);
    re = new RegExp(m[1] ?? '', [...flags].join(''));
  } catch (e) {
    throw new UserError(`invalid regex ${condition}: ${(e as Error).message}`, { field: where });
  }
  return (value, extra) => re.test(value) || (extra !== null && re.test(extra));
}

/**
 * Validates and compiles a workspace's rules; throws a UserError naming the bad rule.
 *
 * @example
 * const rules = compileChannelRules([{ channel: 'Events', when: { medium: '/^(event|trade-?show)$/' } }]);
 * classifyChannel({ source: 'expo', medium: 'Tradeshow', campaign: null }, rules); // 'Events'
 */
export function compileChannelRules(rules: unknown): CompiledChannelRules {
  const parsed = channelRulesSchema.safeParse(rules);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `rules${(issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
    throw new UserError(issue?.message ?? 'invalid channel rules', { field });
  }
  return {
    rules: parsed.data.map((rule, i) => ({
      channel: rule.channel,
      tests: (Object.entries(rule.when) as Array<[Field, string | string[] | undefined]>)
        .filter((entry): entry is [Field, string | string[]] => entry[1] !== undefined)
        .map(([field, cond]) => {
          const where = `rules[${i}].when.${field}`;
          const matchers = (Array.isArray(cond) ? cond : [cond]).map((c) =>
            compileCondition(c, field, where),
          );
          const any: Matcher = (value, extra) => matchers.some((t) => t(value, extra));
          return [field, any] as const;
        }),
    })),
  };
}

const compiledCache = new WeakMap<readonly ChannelRule[], CompiledChannelRules>();

/** Accepts raw or compiled rules; raw arrays are compiled once and cached by identity. */
export function toCompiledRules(
  rules: readonly ChannelRule[] | CompiledChannelRules | null | undefined,
): CompiledChannelRules | null {
  if (!rules) return null;
  if (!Array.isArray(rules)) return rules as CompiledChannelRules;
  const list = rules as readonly ChannelRule[];
  let compiled = compiledCache.get(list);
  if (!compiled) {
    compiled = compileChannelRules(list);
    compiledCache.set(list, compiled);
  }
  return compiled;
}

/**
 * The value a rule field sees: lower case; a direct visit has source `(direct)` and medium `(none)`;
 * a tagged link missing a field has `(not set)`. The referrer is matched as a host, its regexes
 * also against the full URL. Computed per test so that classifying allocates nothing.
 */
function fieldValue(input: ChannelInput, field: Field): string {
  const direct = !input.source && !input.medium && !input.campaign;
  switch (field) {
    case 'source':
      return direct ? '(direct)' : lower(input.source) || NOT_SET;
    case 'medium':
      return direct ? '(none)' : lower(input.medium) || NOT_SET;
    case 'campaign':
      return lower(input.campaign) || NOT_SET;
    case 'referrer':
      return hostOf(input.referrer ?? null) ?? '';
    case 'clickIdType':
      return lower(input.clickIdType);
  }
}

function lower(v: string | null | undefined): string {
  return v ? v.trim().toLowerCase() : '';
}

function matches(input: ChannelInput, tests: CompiledChannelRules['rules'][number]['tests']): boolean {
  for (const [field, test] of tests) {
    const extra = field === 'referrer' && input.referrer ? input.referrer.toLowerCase() : null;
    if (!test(fieldValue(input, field), extra)) return false;
  }
  return true;
}

/**
 * The channel of a touch: the first matching workspace rule, else GA4's default group.
 *
 * @example
 * classifyChannel({ source: 'expo', medium: 'event', campaign: null }, DEMO_CHANNEL_RULES); // 'Events'
 * classifyChannel({ source: 'google', medium: 'organic', campaign: null });                // 'Organic Search'
 */
export function classifyChannel(
  input: ChannelInput,
  rules?: readonly ChannelRule[] | CompiledChannelRules | null,
): string {
  const compiled = toCompiledRules(rules);
  if (compiled) {
    for (const rule of compiled.rules) if (matches(input, rule.tests)) return rule.channel;
  }
  return defaultChannel(input);
}
