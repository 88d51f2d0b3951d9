import {
  CATEGORIES,
  CHANNELS,
  CONTENT_PAGES,
  DEVICES,
  EUR_TO_USD,
  FIRST_CHANNEL,
  GEOS,
  ORIGIN,
  PRODUCTS,
  RETURN_CHANNEL,
  SEARCH_TERMS,
  type ChannelId,
  type Product,
} from './catalog.js';
import { Random } from './random.js';

/**
 * One user's whole journey, drawn from its own seeded stream (so users can be generated in any
 * batch and still come out the same), written as tab-separated staging rows: one per user, one
 * per session, one per event. The loader turns them into the nested GA4 rows.
 */
export interface Sink {
  user(line: string): void;
  session(line: string): void;
  event(line: string): void;
  /** Interns a page string (location, title, referrer); the loader joins it back. */
  str(value: string): number;
}

export interface Calendar {
  /** UTC micros of local midnight for day 0..days (days+1 entries). */
  dayStart: number[];
  /** `YYYYMMDD` per local day. */
  dates: string[];
  days: number;
}

const N = '\\N';
const MICROS = 1_000_000;
const HOURS = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 5, 5, 4.8, 4.6, 4.6, 5, 5.5, 6.5, 7, 6.5, 5, 3,
];
const HOUR_WEIGHTS: [number, number][] = HOURS.map((w, h) => [h, w]);

interface Line {
  ts: number;
  name: string;
  pl: number;
  pt: number;
  pr: number;
  eng: number | null;
  first: boolean;
  extra: string | null;
  items: string | null;
  ecom: string | null;
  valueUsd: number | null;
  newBatch: boolean;
}

const j = JSON.stringify;
const sParam = (key: string, v: string): string =>
  `{"key":${j(key)},"value":{"string_value":${j(v)}}}`;
const iParam = (key: string, v: number): string =>
  `{"key":${j(key)},"value":{"int_value":${Math.round(v)}}}`;
const dParam = (key: string, v: number): string =>
  `{"key":${j(key)},"value":{"double_value":${v}}}`;
const r2 = (x: number): number => Math.round(x * 100) / 100;

export function generateUser(uid: number, seed: number, cal: Calendar, sink: Sink): number {
  const rng = new Random(seed, uid);
  const device = rng.weighted(DEVICES);
  const deviceIdx = DEVICES.findIndex(([d]) => d === device);
  const geo = rng.weighted(GEOS);
  const geoIdx = GEOS.findIndex(([g]) => g === geo);
  const denied = rng.chance(0.04);
  const pseudo = denied
    ? null
    : `${rng.int(100000000, 2147483647)}.${rng.int(1600000000, 1790000000)}`;
  const affinity = 0.6 + rng.next() * 0.9;
  const currency = geo.currency;
  const fx = currency === 'EUR' ? EUR_TO_USD : 1;

  // First visit: any day, weekends a little quieter.
  let day = rng.int(0, cal.days - 1);
  let channel: ChannelId = rng.weighted(FIRST_CHANNEL);
  let ltvUsd = 0;
  let known = false;
  let events = 0;
  let firstTouch = 0;
  let pendingRefund: { txn: string; value: number; items: string } | null = null;
  const sessionLines: string[] = [];
  let txnCounter = 0;
  let ordering = 0;

  for (let sn = 1; sn <= 40 && day < cal.days; sn++) {
    const late = rng.chance(0.02);
    const minute = late
      ? 23 * 60 + rng.int(45, 59)
      : rng.weighted(HOUR_WEIGHTS) * 60 + rng.int(0, 59);
    let ts = cal.dayStart[day]! + minute * 60 * MICROS + rng.int(0, 59_999_999);
    if (sn === 1) firstTouch = ts;
    const ch = CHANNELS[channel];
    const v = rng.pick(ch.variants);
    const sid = uid * 64 + sn;
    const gsid = Math.floor(ts / MICROS);
    const gclid = channel === 'paid_search' ? `Cj0KCQiA${rng.hex(24)}_BwE` : null;
    const term = v.terms ? rng.pick(v.terms) : null;
    const content = v.contents ? rng.pick(v.contents) : null;

    // Landing page: campaigns land on products or collections, others on the home page or a post.
    const landingProduct = rng.pick(PRODUCTS);
    const landingKind =
      ch.id === 'direct' || ch.id === 'organic_social'
        ? rng.chance(0.8)
          ? 'home'
          : 'product'
        : ch.id === 'referral' || ch.id === 'organic_search'
          ? rng.pick(['home', 'product', 'content'] as const)
          : rng.chance(0.45)
            ? 'product'
            : 'collection';
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
    let query = '';
    if (gclid) query = `?gclid=${gclid}`;
    else if (v.utm) {
      query = `?utm_source=${v.source}&utm_medium=${v.medium}&utm_campaign=${v.campaign ?? ''}${content ? `&utm_content=${content}` : ''}`;
    }
    const landingUrl = `${ORIGIN}${landingPath}${query}`;
    sessionLines.length = 0;

    const m = ch.conversion * device.conversion * (sn > 1 ? 1.4 : 1) * affinity;
    const lines: Line[] = [];
    let page = { pl: -1, pt: sink.str(landingTitle), pr: -1 };
    let lastLocation = landingUrl;
    const push = (name: string, at: number, extra: Partial<Line> = {}): void => {
      lines.push({
        ts: at,
        name,
        pl: page.pl,
        pt: page.pt,
        pr: -2,
        eng: null,
        first: false,
        extra: null,
        items: null,
        ecom: null,
        valueUsd: null,
        newBatch: false,
        ...extra,
      });
    };
    const dwell = (): number => Math.round(3_000_000 + rng.exp(40_000_000));
    const leave = (): void => {
      const d = dwell();
      if (rng.chance(0.37))
        push('scroll', ts + Math.round(d * 0.6), {
          newBatch: true,
          extra: `[${iParam('percent_scrolled', 90)}]`,
        });
      ts += d;
      if (rng.chance(0.8))
        push('user_engagement', ts, {
          eng: Math.round((d / 1000) * (0.6 + rng.next() * 0.4)),
          newBatch: true,
        });
      ts += rng.int(200_000, 2_000_000);
    };
    const visit = (path: string, title: string): void => {
      const loc = `${ORIGIN}${path}`;
      page = { pl: sink.str(loc), pt: sink.str(title), pr: sink.str(lastLocation) };
      lastLocation = loc;
      push('page_view', ts, { pr: page.pr, newBatch: true });
    };
    const itemJson = (p: Product, qty: number, extra: string): string =>
      `{"item_id":${j(p.id)},"item_name":${j(p.name)},"item_brand":${j(p.brand)},"item_category":${j(p.category)},"price":${r2(p.price / fx)},"price_in_usd":${p.price},"quantity":${qty}${extra},"item_params":[]}`;
    const money = (value: number): string =>
      `,${sParam('currency', currency)},${dParam('value', r2(value))}`;

    // First batch: first_visit, session_start and the landing page_view share one timestamp.
    if (pendingRefund && rng.chance(0.6)) {
      const refund = pendingRefund;
      pendingRefund = null;
      push('refund', ts - 1000, {
        newBatch: true,
        extra: `[${sParam('transaction_id', refund.txn)}${money(refund.value)}]`,
        items: refund.items,
        ecom: `{"refund_value":${r2(refund.value)},"refund_value_in_usd":${r2(refund.value * fx)},"transaction_id":${j(refund.txn)}}`,
        valueUsd: -r2(refund.value * fx),
      });
      ltvUsd -= refund.value * fx;
    }
    if (sn === 1) push('first_visit', ts, { first: true, newBatch: true });
    push('session_start', ts, { first: true, newBatch: sn !== 1 });
    push('page_view', ts, { first: true, pr: -1 });
    if (landingKind === 'home' && rng.chance(0.6))
      push('view_promotion', ts, { extra: `[${sParam('promotion_name', 'fall_sale_banner')}]` });

    const cart: { p: Product; qty: number }[] = [];
    const viewItem = (p: Product, listName: string | null): void => {
      push('view_item', ts, {
        extra: `[${money(p.price / fx).slice(1)}]`,
        items: `[${itemJson(p, 1, listName ? `,"item_list_name":${j(listName)}` : '')}]`,
      });
    };
    if (landingKind === 'product') viewItem(landingProduct, null);
    if (landingKind === 'collection' && rng.chance(0.3))
      push('view_item_list', ts, { extra: `[${sParam('item_list_name', landingCategory)}]` });
    leave();

    const shopper = rng.chance(Math.min(0.7, 0.2 * Math.sqrt(m)));
    const browse = 1 + Math.floor(rng.exp(shopper ? 2.8 : 1.6));
    let product = landingProduct;
    for (let k = 0; k < browse; k++) {
      const r = rng.next();
      if (r < (shopper ? 0.72 : 0.2)) {
        const category = rng.pick(CATEGORIES);
        if (rng.chance(0.35)) {
          visit(`/collections/${category.toLowerCase()}`, `${category} | Pathlight Shop`);
          if (rng.chance(0.2))
            push('view_item_list', ts, { extra: `[${sParam('item_list_name', category)}]` });
          leave();
          const inCategory = PRODUCTS.filter((p) => p.category === category);
          product = rng.pick(inCategory);
          if (rng.chance(0.35))
            push('select_item', ts - 500_000, {
              newBatch: true,
              extra: `[${sParam('item_list_name', category)}]`,
              items: `[${itemJson(product, 1, `,"item_list_name":${j(category)},"item_list_index":"${inCategory.indexOf(product) + 1}"`)}]`,
            });
          visit(`/product/${product.slug}`, product.name);
          viewItem(product, category);
        } else {
          product = rng.pick(PRODUCTS);
          visit(`/product/${product.slug}`, product.name);
          viewItem(product, null);
        }
        leave();
      } else if (r < 0.8) {
        const [path, title] = rng.pick(CONTENT_PAGES);
        visit(path, title);
        leave();
      } else if (r < 0.975) {
        visit('/', 'Pathlight Shop');
        if (rng.chance(0.75))
          push('view_promotion', ts, {
            extra: `[${sParam('promotion_name', 'fall_sale_banner')}]`,
          });
        if (rng.chance(0.08))
          push('select_promotion', ts + 1_500_000, {
            newBatch: true,
            extra: `[${sParam('promotion_name', 'fall_sale_banner')}]`,
          });
        leave();
      } else {
        const q = rng.pick(SEARCH_TERMS);
        visit(`/search?q=${q}`, 'Search results');
        push('view_search_results', ts, { extra: `[${sParam('search_term', q)}]` });
        leave();
      }
    }

    if (shopper && rng.chance(Math.min(0.85, 0.4 * m))) {
      const qty = rng.chance(0.8) ? 1 : rng.int(2, 3);
      cart.push({ p: product, qty });
      push('add_to_cart', ts - 2_000_000, {
        newBatch: true,
        extra: `[${money((product.price * qty) / fx).slice(1)}]`,
        items: `[${itemJson(product, qty, '')}]`,
        ecom: `{"total_item_quantity":${qty},"unique_items":1}`,
      });
      if (rng.chance(0.35)) {
        const extraProduct = rng.pick(PRODUCTS);
        if (extraProduct !== product) {
          visit(`/product/${extraProduct.slug}`, extraProduct.name);
          viewItem(extraProduct, null);
          cart.push({ p: extraProduct, qty: 1 });
          push('add_to_cart', ts + 4_000_000, {
            newBatch: true,
            extra: `[${money(extraProduct.price / fx).slice(1)}]`,
            items: `[${itemJson(extraProduct, 1, '')}]`,
            ecom: `{"total_item_quantity":1,"unique_items":1}`,
          });
          leave();
        }
      }
      const cartItems = (extra: (c: { p: Product; qty: number }) => string): string =>
        `[${cart.map((c) => itemJson(c.p, c.qty, extra(c))).join(',')}]`;
      const cartValue = (): number => cart.reduce((s, c) => s + c.p.price * c.qty, 0) / fx;
      const cartEcom = (): string =>
        `{"total_item_quantity":${cart.reduce((s, c) => s + c.qty, 0)},"unique_items":${cart.length}}`;
      if (rng.chance(0.75)) {
        visit('/cart', 'Your cart');
        push('view_cart', ts, {
          extra: `[${money(cartValue()).slice(1)}]`,
          items: cartItems(() => ''),
          ecom: cartEcom(),
        });
        if (cart.length > 1 && rng.chance(0.3)) {
          const removed = cart.pop()!;
          push('remove_from_cart', ts + 5_000_000, {
            newBatch: true,
            extra: `[${money((removed.p.price * removed.qty) / fx).slice(1)}]`,
            items: `[${itemJson(removed.p, removed.qty, '')}]`,
            ecom: `{"total_item_quantity":${removed.qty},"unique_items":1}`,
          });
        }
        leave();
      }
      if (rng.chance(Math.min(0.9, 0.42 * Math.sqrt(m)))) {
        visit('/checkout', 'Checkout');
        push('begin_checkout', ts, {
          extra: `[${money(cartValue()).slice(1)}]`,
          items: cartItems(() => ''),
          ecom: cartEcom(),
        });
        leave();
        if (rng.chance(0.92)) {
          visit('/checkout/shipping', 'Checkout: shipping');
          const tier = rng.pick(['Ground', 'Express']);
          push('add_shipping_info', ts + 20_000_000, {
            newBatch: true,
            extra: `[${sParam('shipping_tier', tier)}${money(cartValue())}]`,
          });
          leave();
          if (rng.chance(0.68)) {
            visit('/checkout/payment', 'Checkout: payment');
            const pay = rng.pick(['Credit Card', 'PayPal', 'Apple Pay']);
            push('add_payment_info', ts + 25_000_000, {
              newBatch: true,
              extra: `[${sParam('payment_type', pay)}${money(cartValue())}]`,
            });
            leave();
            if (rng.chance(Math.min(0.95, 0.6 * Math.pow(m, 0.25)))) {
              txnCounter++;
              const txn = `T${uid}-${txnCounter}`;
              const subtotal = r2(cartValue());
              const shipping = subtotal >= 75 ? 0 : tier === 'Express' ? 15 : 6;
              const tax = r2(subtotal * 0.08);
              const revenue = r2(subtotal + shipping + tax);
              visit('/checkout/thank-you', 'Thank you for your order');
              const items = cartItems(
                (c) =>
                  `,"item_revenue":${r2((c.p.price * c.qty) / fx)},"item_revenue_in_usd":${r2(c.p.price * c.qty)}`,
              );
              const extra = `[${sParam('transaction_id', txn)}${money(revenue)},${dParam('shipping', shipping)},${dParam('tax', tax)},${sParam('payment_type', pay)}${rng.chance(0.15) ? `,${sParam('coupon', 'FALL10')}` : ''}]`;
              const ecom = `{"total_item_quantity":${cart.reduce((s, c) => s + c.qty, 0)},"purchase_revenue":${revenue},"purchase_revenue_in_usd":${r2(revenue * fx)},"shipping_value":${shipping},"shipping_value_in_usd":${r2(shipping * fx)},"tax_value":${tax},"tax_value_in_usd":${r2(tax * fx)},"unique_items":${cart.length},"transaction_id":${j(txn)}}`;
              ltvUsd += revenue * fx;
              push('purchase', ts, { extra, items, ecom, valueUsd: r2(revenue * fx) });
              // A known export quirk: the same order logged twice.
              if (rng.chance(0.04))
                push('purchase', ts + rng.int(0, 2_000_000), {
                  newBatch: true,
                  extra,
                  items,
                  ecom,
                  valueUsd: r2(revenue * fx),
                });
              if (rng.chance(0.04)) pendingRefund = { txn, value: revenue, items };
              known = true;
              leave();
            }
          }
        }
      }
    }

    // Lead goals and content.
    if (rng.chance(0.012)) {
      const form = rng.chance(0.6)
        ? ['contact', 'Contact us', '/contact', 'Contact']
        : ['demo_request', 'Request a demo', '/demo', 'Request a demo'];
      visit(form[2]!, form[3]!);
      push('form_start', ts + 5_000_000, {
        newBatch: true,
        extra: `[${sParam('form_id', form[0]!)},${sParam('form_name', form[1]!)}]`,
      });
      push('generate_lead', ts + 40_000_000, {
        newBatch: true,
        extra: `[${sParam('form_id', form[0]!)},${sParam('form_name', form[1]!)},${sParam('currency', 'USD')},${dParam('value', form[0] === 'demo_request' ? 50 : 10)}]`,
      });
      leave();
    }
    if (rng.chance(sn === 1 ? 0.02 : 0.008)) {
      push('generate_lead', ts + 3_000_000, {
        newBatch: true,
        extra: `[${sParam('form_id', 'newsletter')},${sParam('form_name', 'Newsletter signup')}]`,
      });
      push('newsletter_subscribe', ts + 3_000_000, {
        extra: `[${sParam('form_id', 'newsletter')}]`,
      });
    }
    if (!known && rng.chance(0.01)) {
      visit('/signup', 'Create your account');
      push('sign_up', ts + 30_000_000, {
        newBatch: true,
        extra: `[${sParam('method', rng.chance(0.6) ? 'email' : 'google')}]`,
      });
      known = true;
      leave();
    }
    if (rng.chance(0.012)) {
      const ext = rng.chance(0.7) ? 'pdf' : 'xlsx';
      const file = ext === 'pdf' ? 'size-guide.pdf' : 'wholesale-price-list.xlsx';
      const url = `${ORIGIN}/files/${file}`;
      push('file_download', ts, {
        newBatch: true,
        extra: `[${sParam('file_name', `/files/${file}`)},${sParam('file_extension', ext)},${sParam('link_url', url)},${sParam('link_text', ext === 'pdf' ? 'Size guide' : 'Price list')},${sParam('link_domain', 'shop.example.com')}]`,
      });
      if (rng.chance(0.3))
        push('click', ts + 1000, {
          extra: `[${sParam('link_url', url)},${sParam('outbound', 'false')}]`,
        });
    }

    // Write the session and its events; a session is engaged after 10 s or a second page.
    const pages = lines.reduce((n, l) => n + (l.name === 'page_view' ? 1 : 0), 0);
    const engaged =
      pages >= 2 ||
      ts - lines[0]!.ts > 10 * MICROS ||
      lines.some((l) => l.name === 'purchase' || l.name === 'generate_lead');
    sink.session(
      [
        sid,
        uid,
        denied ? N : gsid,
        denied ? N : sn,
        ch.group,
        ch.id === 'direct' ? N : v.source,
        ch.id === 'direct' ? N : v.medium,
        v.campaign ?? N,
        v.campaignId ?? N,
        term ?? N,
        content ?? N,
        gclid ?? N,
        landingUrl,
        v.referrer ?? N,
        v.utm || gclid ? 1 : 0,
        ch.id === 'direct' ? 0 : 1,
        day,
      ].join('\t') + '\n',
    );
    let bidx = 0;
    let bpage = 0;
    for (let k = 0; k < lines.length; k++) {
      const l = lines[k]!;
      if (l.name === 'page_view' || k === 0) bpage = Math.floor(l.ts / 1000);
      if (l.newBatch || k === 0) {
        ordering++;
        bidx = 0;
      } else bidx++;
      const d = dayOf(cal, l.ts, day);
      if (d < 0) continue;
      if (l.valueUsd !== null && l.name === 'purchase') {
        // ltv already includes this purchase
      }
      events++;
      sink.event(
        `${sid}\t${l.ts}\t${d}\t${cal.dates[d]}\t${l.name}\t${l.pl}\t${l.pt}\t${l.pr}\t${l.eng ?? N}\t${engaged && k > 2 ? 1 : 0}\t${l.first ? 1 : 0}\t${bidx}\t${bpage}\t${ordering}\t${known ? 1 : 0}\t${r2(ltvUsd)}\t${l.valueUsd ?? N}\t${l.extra ?? N}\t${l.items ?? N}\t${l.ecom ?? N}\n`,
      );
    }

    // The next visit, days or weeks later; buyers and engaged users come back more.
    const more = rng.chance(Math.min(0.85, (known ? 0.45 : 0.24) + (engaged ? 0.05 : 0)));
    if (!more) break;
    day += Math.floor(rng.exp(6) + (rng.chance(0.25) ? 0 : 1));
    channel = rng.weighted(RETURN_CHANNEL);
  }
  sink.user(
    [
      uid,
      pseudo ?? N,
      deviceIdx,
      geoIdx,
      firstTouch,
      currency,
      denied ? 0 : 1,
      denied ? 'No' : rng.chance(0.8) ? 'Yes' : 'No',
      `C${uid}`,
      r2(ltvUsd),
    ].join('\t') + '\n',
  );
  return events;
}

/** The local day of a UTC timestamp, searching from the session's day; -1 past the range. */
function dayOf(cal: Calendar, ts: number, from: number): number {
  let d = from;
  while (d > 0 && ts < cal.dayStart[d]!) d--;
  while (d < cal.days && ts >= cal.dayStart[d + 1]!) d++;
  return d >= cal.days ? -1 : d;
}
