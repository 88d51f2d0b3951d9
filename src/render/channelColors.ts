/** One color per default channel group, the same in every section and report. */
export const CHANNEL_COLORS: Readonly<Record<string, string>> = {
  Direct: '#4C5B74',
  Offline: '#8D6E63',
  'Organic Search': '#2E8B57',
  'Paid Search': '#E07B39',
  'Organic Social': '#3B7DD8',
  'Paid Social': '#8E5BD0',
  Email: '#D4A017',
  Referral: '#17A2B8',
  Display: '#C2185B',
  Affiliates: '#7CB342',
  'Organic Video': '#E53935',
  'Paid Video': '#AD1457',
  'Cross-network': '#5D4037',
  'Organic Shopping': '#00897B',
  'Paid Shopping': '#F4511E',
  SMS: '#6D4C41',
  'Mobile Push Notifications': '#546E7A',
  Unassigned: '#9E9E9E',
};

/** Brand colors for series that are not channels (current period, comparison, funnel bars). */
export const PALETTE = {
  primary: '#1F4E79',
  comparison: '#A7B4C6',
  dropOff: '#E8A598',
  accent: '#2E8B57',
  grid: '#E3E7ED',
  text: '#23303F',
  muted: '#6B7785',
} as const;

/** A channel's fixed color; unknown channels get a stable grey shade from their name. */
export function channelColor(channel: string): string {
  const known = CHANNEL_COLORS[channel];
  if (known) return known;
  let hash = 0;
  for (const ch of channel) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const shade = 110 + (hash % 90);
  return `rgb(${shade},${shade},${shade})`;
}
