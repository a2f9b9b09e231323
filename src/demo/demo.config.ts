/**
 * What the demo company looks like: a B2B SaaS vendor with ten channels that differ on purpose in cost
 * and effectiveness, so planning and attribution have something true to find. Trade shows cost a lot
 * and bring few leads; webinars are under-funded and convert best; display buys traffic that
 * rarely converts.
 */
export type Scale = 'small' | 'medium' | 'large';

/** New visitors per day at the start of the range; growth and seasonality multiply it. */
export const SCALE_VISITORS: Record<Scale, number> = { small: 25, medium: 200, large: 1000 };

export const SITE = 'https://www.northstar-demo.com';
export const ANNUAL_GROWTH = 0.3;

export interface ChannelProfile {
  channel: string;
  /** Share of first visits. */
  share: number;
  /** Chance that one session of this channel turns an anonymous visitor into a lead. */
  leadRate: number;
  /** Multiplies the lead → MQL and later conversion chances (lead quality). */
  quality: number;
  /** Cost per paid session (click); 0 for unpaid channels. */
  cpc: number;
  /** Click-through rate, to derive impressions from clicks. */
  ctr: number;
  source: readonly string[];
  medium: string | null;
  campaigns: readonly string[];
  referrers: readonly string[];
  clickIdType: string | null;
  /** Typical landing pages. */
  landing: readonly string[];
}

export const CHANNELS: readonly ChannelProfile[] = [
  {
    channel: 'Organic Search',
    share: 0.3,
    leadRate: 0.02,
    quality: 0.9,
    cpc: 0,
    ctr: 0,
    source: ['google', 'bing', 'duckduckgo'],
    medium: null,
    campaigns: [],
    referrers: ['https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/'],
    clickIdType: null,
    landing: [
      '/blog/marketing-kpis',
      '/blog/smart-goals',
      '/blog/attribution-models',
      '/blog/lead-scoring',
      '/',
    ],
  },
  {
    channel: 'Paid Search',
    share: 0.14,
    leadRate: 0.032,
    quality: 1.0,
    cpc: 3.5,
    ctr: 0.045,
    source: ['google'],
    medium: 'cpc',
    campaigns: ['brand-search', 'competitor-search', 'generic-marketing-analytics'],
    referrers: ['https://www.google.com/'],
    clickIdType: 'gclid',
    landing: ['/', '/pricing', '/product'],
  },
  {
    channel: 'Paid Social',
    share: 0.12,
    leadRate: 0.012,
    quality: 0.7,
    cpc: 2.2,
    ctr: 0.009,
    source: ['linkedin', 'facebook'],
    medium: 'paid_social',
    campaigns: ['abm-linkedin', 'retargeting-social', 'ebook-promo'],
    referrers: [],
    clickIdType: 'li_fat_id',
    landing: ['/ebook/marketing-plan', '/product', '/'],
  },
  {
    channel: 'Organic Social',
    share: 0.07,
    leadRate: 0.007,
    quality: 0.6,
    cpc: 0,
    ctr: 0,
    source: ['linkedin.com', 't.co', 'facebook.com'],
    medium: null,
    campaigns: [],
    referrers: ['https://www.linkedin.com/', 'https://t.co/', 'https://www.facebook.com/'],
    clickIdType: null,
    landing: ['/blog/marketing-kpis', '/blog/smart-goals', '/'],
  },
  {
    channel: 'Email',
    share: 0.08,
    leadRate: 0.022,
    quality: 1.1,
    cpc: 0,
    ctr: 0,
    source: ['newsletter'],
    medium: 'email',
    campaigns: ['newsletter', 'nurture'],
    referrers: [],
    clickIdType: null,
    landing: ['/blog/attribution-models', '/webinars', '/product'],
  },
  {
    channel: 'Referral',
    share: 0.07,
    leadRate: 0.028,
    quality: 1.25,
    cpc: 0,
    ctr: 0,
    source: ['g2.com', 'capterra.com', 'partner-blog.example.org'],
    medium: 'referral',
    campaigns: [],
    referrers: [
      'https://www.g2.com/products/northstar',
      'https://www.capterra.com/',
      'https://partner-blog.example.org/',
    ],
    clickIdType: null,
    landing: ['/', '/customers', '/pricing'],
  },
  {
    channel: 'Direct',
    share: 0.12,
    leadRate: 0.016,
    quality: 1.0,
    cpc: 0,
    ctr: 0,
    source: ['(direct)'],
    medium: null,
    campaigns: [],
    referrers: [],
    clickIdType: null,
    landing: ['/', '/pricing', '/login'],
  },
  {
    channel: 'Display',
    share: 0.06,
    leadRate: 0.003,
    quality: 0.5,
    cpc: 4.2,
    ctr: 0.0015,
    source: ['google'],
    medium: 'display',
    campaigns: ['display-awareness', 'display-retargeting'],
    referrers: [],
    clickIdType: 'gclid',
    landing: ['/', '/product'],
  },
  {
    channel: 'Events',
    share: 0.006,
    leadRate: 0.05,
    quality: 0.8,
    cpc: 0,
    ctr: 0,
    source: ['tradeshow'],
    medium: 'event',
    campaigns: [],
    referrers: [],
    clickIdType: null,
    landing: ['/events', '/'],
  },
  {
    channel: 'Webinars',
    share: 0.03,
    leadRate: 0.14,
    quality: 1.8,
    cpc: 0,
    ctr: 0,
    source: ['webinar'],
    medium: 'webinar',
    campaigns: [],
    referrers: [],
    clickIdType: null,
    landing: ['/webinars'],
  },
];

export const TRADE_SHOWS = [
  { name: 'saas-connect', month: 3, cost: 48_000 },
  { name: 'martech-summit', month: 6, cost: 62_000 },
  { name: 'b2b-marketing-expo', month: 10, cost: 55_000 },
];

export const WEBINAR_COST = 1_200;
export const EMAIL_TOOL_COST_PER_DAY = 18;

export const OWNERS = [
  'ana.kowalska@northstar-demo.com',
  'ben.carter@northstar-demo.com',
  'chloe.martin@northstar-demo.com',
  'diego.santos@northstar-demo.com',
  'emma.popescu@northstar-demo.com',
  'farid.kim@northstar-demo.com',
];

export const MARKETS = ['North America', 'EMEA', 'APAC'] as const;
export const MARKET_WEIGHTS = [0.55, 0.32, 0.13];
export const INDUSTRIES = [
  'Software',
  'Financial Services',
  'Manufacturing',
  'Healthcare',
  'Retail',
  'Education',
];
export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1000+'] as const;
/** Median first-year deal size by company size. */
export const DEAL_MEDIAN: Record<(typeof COMPANY_SIZES)[number], number> = {
  '1-10': 3_500,
  '11-50': 7_500,
  '51-200': 15_000,
  '201-1000': 32_000,
  '1000+': 70_000,
};
export const JOB_TITLES = [
  'Marketing Manager',
  'Head of Marketing',
  'CMO',
  'Demand Generation Manager',
  'Marketing Operations Lead',
  'Content Marketer',
  'VP Sales',
  'Revenue Operations Manager',
];
export const FIRST_NAMES = [
  'Ana',
  'Ben',
  'Chloe',
  'Dan',
  'Eva',
  'Felix',
  'Grace',
  'Hugo',
  'Ines',
  'Jon',
  'Kira',
  'Liam',
  'Mia',
  'Noah',
  'Olga',
  'Piotr',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Yuki',
  'Zoe',
  'Min-jun',
  'Ioana',
  'Élodie',
];
export const LAST_NAMES = [
  'Nowak',
  'Smith',
  'Dubois',
  'Popescu',
  'Kim',
  'Ivanova',
  'Garcia',
  'Müller',
  'Rossi',
  'Tanaka',
  'Okafor',
  'Silva',
  'Novak',
  'Park',
  'Lambert',
  'Ionescu',
  'Petrov',
  'Jensen',
];
const SYLLABLES = [
  'ac',
  'me',
  'tri',
  'lo',
  'nex',
  'va',
  'quo',
  'ra',
  'zen',
  'ti',
  'so',
  'lar',
  'bri',
  'dge',
  'ko',
  'mo',
  'pi',
  'xel',
];
export function companyName(pick: (xs: readonly string[]) => string): string {
  const n = `${pick(SYLLABLES)}${pick(SYLLABLES)}${pick(SYLLABLES)}`;
  return `${n[0]?.toUpperCase()}${n.slice(1)} ${pick(['Labs', 'Systems', 'GmbH', 'Inc', 'Group', 'Software', 'SA', 'Ltd'])}`;
}

export const BLOG_PATHS = [
  '/blog/marketing-kpis',
  '/blog/smart-goals',
  '/blog/attribution-models',
  '/blog/lead-scoring',
  '/blog/reverse-funnel',
  '/blog/marketing-plan-template',
];
export const SITE_PATHS = [
  '/',
  '/product',
  '/pricing',
  '/customers',
  '/features/goals',
  '/features/attribution',
  '/about',
  '/webinars',
  ...BLOG_PATHS,
];

/** Relative traffic by month (Jan..Dec): summer and December dips, autumn peak. */
export const MONTH_SEASON = [0.95, 1.0, 1.05, 1.02, 1.0, 0.92, 0.8, 0.82, 1.08, 1.15, 1.1, 0.85];
/** Relative traffic by weekday (Sun..Sat). */
export const WEEKDAY_SEASON = [0.45, 1.1, 1.15, 1.15, 1.1, 0.95, 0.5];

/** The trade show running around a date (a week either side), as its campaign name. */
export function showCampaign(date: string): string | null {
  const year = Number(date.slice(0, 4));
  for (const s of TRADE_SHOWS) {
    const showMs = Date.parse(`${year}-${String(s.month).padStart(2, '0')}-15T00:00:00Z`);
    if (Math.abs(Date.parse(`${date}T00:00:00Z`) - showMs) <= 7 * 86_400_000)
      return `tradeshow-${s.name}-${year}`;
  }
  return null;
}
