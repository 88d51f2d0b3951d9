/**
 * GA4's default channel group, as Google publishes it ("[GA4] Default channel group"):
 * rules are tried in order and the first that matches names the channel. Matching ignores
 * case. Source categories (search, social, video, shopping sites) follow Google's published
 * source-category list, abridged to the sources that carry nearly all traffic.
 * Regexes avoid backslashes so the same text is valid in GoogleSQL and DuckDB literals.
 */
export const CHANNEL_GROUPS = [
  'Direct',
  'Offline',
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
export type ChannelGroup = (typeof CHANNEL_GROUPS)[number];

export type ChannelField = 'source' | 'medium' | 'campaign';
export type ChannelCondition =
  | { field: ChannelField; op: 'in'; values: readonly string[] }
  | { field: ChannelField; op: 'regex'; pattern: string };

export interface ChannelRule {
  readonly channel: ChannelGroup;
  /** Any of these groups matches when all of its conditions hold. */
  readonly anyOf: readonly (readonly ChannelCondition[])[];
}

/**
 * A site list as one regex. Brand names match as a host label (`google`, `google.de`,
 * `www.google.com`); short or ambiguous names only as their whole domain with any subdomain
 * (`x.com`, `t.co`, `so.com`), and utm shorthands only as the whole source (`fb`, `ig`): a bare
 * `x` or `so` label would catch stray sources such as `x.example.org` or `so.cool-blog.net`.
 */
const SITE = (brands: string, domains: string, exact?: string) =>
  [
    `^(${brands})([.].*)?$`,
    `[.](${brands})[.]`,
    `^(.*[.])?(${domains})$`,
    ...(exact === undefined ? [] : [`^(${exact})$`]),
  ].join('|');
export const SEARCH_SITES = SITE(
  'google|bing|yahoo|baidu|duckduckgo|yandex|ecosia|naver|aol|seznam|qwant|startpage|sogou|daum|msn|search[.]brave|brave|yahoo-search|biglobe|rakuten|onet',
  'ask[.]com|so[.]com|360[.]cn|goo[.]ne[.]jp|wp[.]pl',
);
export const SOCIAL_SITES = SITE(
  'facebook|instagram|linkedin|twitter|pinterest|reddit|tiktok|snapchat|quora|tumblr|weibo|whatsapp|messenger|mastodon|discord|telegram|wechat|xing|meetup|yelp|nextdoor|flickr|substack',
  'x[.]com|t[.]co|lnkd[.]in|pin[.]it|vk[.]com|threads[.]net|line[.]me|medium[.]com',
  'fb|ig|pin|lnkd|medium',
);
export const VIDEO_SITES = SITE(
  'youtube|vimeo|twitch|dailymotion|youku|wistia|netflix|rumble',
  'youtu[.]be',
);
export const SHOPPING_SITES = SITE(
  'google shopping|igshopping|amazon|ebay|etsy|shopify|walmart|alibaba|aliexpress|mercadolibre|rakuten|bestbuy|shopping[.]yahoo|shopzilla',
  'target[.]com|stripe[.]com',
);
const PAID_MEDIUM = '^(.*cp.*|ppc|retargeting|paid.*)$';
const SHOP_CAMPAIGN = '^(.*(([^a-df-z]|^)shop|shopping).*)$';

const re = (field: ChannelField, pattern: string): ChannelCondition => ({
  field,
  op: 'regex',
  pattern,
});
const oneOf = (field: ChannelField, ...values: string[]): ChannelCondition => ({
  field,
  op: 'in',
  values,
});

export const CHANNEL_RULES: readonly ChannelRule[] = [
  {
    channel: 'Direct',
    anyOf: [[oneOf('source', '(direct)'), oneOf('medium', '(not set)', '(none)')]],
  },
  // Not one of Google's groups: imported offline events (store visits, calls, till purchases)
  // carry medium `offline`, and belong together rather than in Unassigned.
  { channel: 'Offline', anyOf: [[oneOf('medium', 'offline')]] },
  { channel: 'Cross-network', anyOf: [[re('campaign', 'cross-network')]] },
  {
    channel: 'Paid Shopping',
    anyOf: [
      [re('source', SHOPPING_SITES), re('medium', PAID_MEDIUM)],
      [re('campaign', SHOP_CAMPAIGN), re('medium', PAID_MEDIUM)],
    ],
  },
  { channel: 'Paid Search', anyOf: [[re('source', SEARCH_SITES), re('medium', PAID_MEDIUM)]] },
  { channel: 'Paid Social', anyOf: [[re('source', SOCIAL_SITES), re('medium', PAID_MEDIUM)]] },
  { channel: 'Paid Video', anyOf: [[re('source', VIDEO_SITES), re('medium', PAID_MEDIUM)]] },
  {
    channel: 'Display',
    anyOf: [[oneOf('medium', 'display', 'banner', 'expandable', 'interstitial', 'cpm')]],
  },
  { channel: 'Paid Other', anyOf: [[re('medium', PAID_MEDIUM)]] },
  {
    channel: 'Organic Shopping',
    anyOf: [[re('source', SHOPPING_SITES)], [re('campaign', SHOP_CAMPAIGN)]],
  },
  {
    channel: 'Organic Social',
    anyOf: [
      [re('source', SOCIAL_SITES)],
      [
        oneOf(
          'medium',
          'social',
          'social-network',
          'social-media',
          'sm',
          'social network',
          'social media',
        ),
      ],
    ],
  },
  {
    channel: 'Organic Video',
    anyOf: [[re('source', VIDEO_SITES)], [re('medium', '^(.*video.*)$')]],
  },
  {
    channel: 'Organic Search',
    anyOf: [[re('source', SEARCH_SITES)], [oneOf('medium', 'organic')]],
  },
  { channel: 'Referral', anyOf: [[oneOf('medium', 'referral', 'app', 'link')]] },
  {
    channel: 'Email',
    anyOf: [
      [oneOf('source', 'email', 'e-mail', 'e_mail', 'e mail')],
      [oneOf('medium', 'email', 'e-mail', 'e_mail', 'e mail')],
    ],
  },
  { channel: 'Affiliates', anyOf: [[oneOf('medium', 'affiliate')]] },
  { channel: 'Audio', anyOf: [[oneOf('medium', 'audio')]] },
  { channel: 'SMS', anyOf: [[oneOf('source', 'sms')], [oneOf('medium', 'sms')]] },
  {
    channel: 'Mobile Push Notifications',
    anyOf: [
      [re('medium', 'push$')],
      [re('medium', 'mobile|notification')],
      [oneOf('source', 'firebase')],
    ],
  },
];

/** The channel of one session's source / medium / campaign, by the rules above. */
export function channelGroup(
  source: string | null,
  medium: string | null,
  campaign: string | null,
): ChannelGroup {
  const values: Record<ChannelField, string> = {
    source: (source ?? '').toLowerCase(),
    medium: (medium ?? '').toLowerCase(),
    campaign: (campaign ?? '').toLowerCase(),
  };
  const holds = (c: ChannelCondition): boolean =>
    c.op === 'in'
      ? c.values.includes(values[c.field])
      : new RegExp(c.pattern).test(values[c.field]);
  const rule = CHANNEL_RULES.find((r) => r.anyOf.some((group) => group.every(holds)));
  return rule?.channel ?? 'Unassigned';
}
