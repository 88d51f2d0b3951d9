import {
  CATEGORIES,
  CHANNELS,
  CONTENT_PAGES,
  ORIGIN,
  PRODUCTS,
  type Channel,
  type ChannelId,
  type Product,
} from './catalog.js';
import type { Calendar } from './journeyTypes.js';
import type { Random } from './random.js';

const MICROS = 1_000_000;
const HOURS = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 5, 5, 4.8, 4.6, 4.6, 5, 5.5, 6.5, 7, 6.5, 5, 3,
];
const HOUR_WEIGHTS: [number, number][] = HOURS.map((w, h) => [h, w]);

export type LandingKind = 'home' | 'product' | 'collection' | 'content';

/** How and when a session starts: its time, channel variant, tags and landing page. */
export interface Arrival {
  ts: number;
  ch: Channel;
  v: Channel['variants'][number];
  gclid: string | null;
  term: string | null;
  content: string | null;
  landingKind: LandingKind;
  landingProduct: Product;
  landingCategory: string;
  landingTitle: string;
  landingUrl: string;
}

/** Campaigns land on products or collections, others on the home page or a post. */
function drawLandingKind(rng: Random, ch: Channel): LandingKind {
  if (ch.id === 'direct' || ch.id === 'organic_social') return rng.chance(0.8) ? 'home' : 'product';
  if (ch.id === 'referral' || ch.id === 'organic_search')
    return rng.pick(['home', 'product', 'content'] as const);
  return rng.chance(0.45) ? 'product' : 'collection';
}

/** The landing URL's query: a gclid, or the variant's UTM tags. */
function landingQuery(
  v: Channel['variants'][number],
  gclid: string | null,
  content: string | null,
) {
  if (gclid) return `?gclid=${gclid}`;
  if (!v.utm) return '';
  return `?utm_source=${v.source}&utm_medium=${v.medium}&utm_campaign=${v.campaign ?? ''}${content ? `&utm_content=${content}` : ''}`;
}

/** Draws the start of a session on `day` through `channel` (mostly daytime, a few near midnight). */
export function drawArrival(rng: Random, cal: Calendar, day: number, channel: ChannelId): Arrival {
  const late = rng.chance(0.02);
  const minute = late
    ? 23 * 60 + rng.int(45, 59)
    : rng.weighted(HOUR_WEIGHTS) * 60 + rng.int(0, 59);
  const ts = cal.dayStart[day]! + minute * 60 * MICROS + rng.int(0, 59_999_999);
  const ch = CHANNELS[channel];
  const v = rng.pick(ch.variants);
  const gclid = channel === 'paid_search' ? `Cj0KCQiA${rng.hex(24)}_BwE` : null;
  const term = v.terms ? rng.pick(v.terms) : null;
  const content = v.contents ? rng.pick(v.contents) : null;
  const landingProduct = rng.pick(PRODUCTS);
  const landingKind = drawLandingKind(rng, ch);
  const landingCategory = rng.pick(CATEGORIES);
  const contentPage = rng.pick(CONTENT_PAGES);
  let landingPath = '/';
  let landingTitle = 'Pathlight Shop';
  if (landingKind === 'product') {
    landingPath = `/product/${landingProduct.slug}`;
    landingTitle = landingProduct.name;
  } else if (landingKind === 'collection') {
    landingPath = `/collections/${landingCategory.toLowerCase()}`;
    landingTitle = `${landingCategory} | Pathlight Shop`;
  } else if (landingKind === 'content') {
    landingPath = contentPage[0];
    landingTitle = contentPage[1];
  }
  const landingUrl = `${ORIGIN}${landingPath}${landingQuery(v, gclid, content)}`;
  return {
    ts,
    ch,
    v,
    gclid,
    term,
    content,
    landingKind,
    landingProduct,
    landingCategory,
    landingTitle,
    landingUrl,
  };
}
