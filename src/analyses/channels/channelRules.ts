/**
 * GA4's default channel group, as Google publishes it ("[GA4] Default channel group"):
 * rules are tried in order and the first that matches names the channel. Matching ignores
 * case. Source categories (search, social, video, shopping sites) follow Google's published
 * source-category list, abridged to the sources that carry nearly all traffic.
 * Regexes avoid backslashes so the same text is valid in GoogleSQL and DuckDB literals.
 */
export const CHANNEL_GROUPS = [
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

const SITE = (names: string) => `^(${names})([.].*)?$|[.](${names})[.]`;
export const SEARCH_SITES = SITE(
  'google|bing|yahoo|baidu|duckduckgo|yandex|ecosia|naver|ask|aol|seznam|qwant|startpage|sogou|daum|so|360|msn|search[.]brave|brave|yahoo-search|biglobe|goo|rakuten|onet|wp',
);
export const SOCIAL_SITES = SITE(
  'facebook|fb|m[.]facebook|l[.]facebook|lm[.]facebook|instagram|ig|l[.]instagram|linkedin|lnkd|twitter|t[.]co|t|x|pinterest|pin|reddit|tiktok|snapchat|quora|tumblr|vk|weibo|whatsapp|messenger|threads|mastodon|discord|telegram|line|wechat|xing|meetup|yelp|nextdoor|flickr|medium|substack',
);
export const VIDEO_SITES = SITE(
  'youtube|m[.]youtube|youtu[.]be|vimeo|twitch|dailymotion|youku|wistia|netflix|rumble',
);
export const SHOPPING_SITES = SITE(
  'google shopping|igshopping|amazon|ebay|etsy|shopify|stripe|walmart|alibaba|aliexpress|mercadolibre|rakuten|target|bestbuy|shopping[.]yahoo|shopzilla',
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
