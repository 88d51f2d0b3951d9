import { PRODUCTS, type Product } from './catalog.js';
import type { UserJourney } from './journeyTypes.js';
import { dParam, r2, sParam } from './paramJson.js';
import type { SessionDraft } from './sessionDraft.js';

interface CartLine {
  p: Product;
  qty: number;
}

/** The cart of one session and the values its events carry. */
class Cart {
  readonly lines: CartLine[] = [];
  constructor(private readonly s: SessionDraft) {}

  items(extra: (c: CartLine) => string = () => ''): string {
    return `[${this.lines.map((c) => this.s.itemJson(c.p, c.qty, extra(c))).join(',')}]`;
  }

  value(): number {
    return this.lines.reduce((sum, c) => sum + c.p.price * c.qty, 0) / this.s.fx;
  }

  quantity(): number {
    return this.lines.reduce((sum, c) => sum + c.qty, 0);
  }

  ecom(): string {
    return `{"total_item_quantity":${this.quantity()},"unique_items":${this.lines.length}}`;
  }
}

function addToCart(s: SessionDraft, cart: Cart, p: Product, qty: number, at: number): void {
  cart.lines.push({ p, qty });
  s.push('add_to_cart', at, {
    newBatch: true,
    extra: `[${s.money((p.price * qty) / s.fx).slice(1)}]`,
    items: `[${s.itemJson(p, qty, '')}]`,
    ecom: `{"total_item_quantity":${qty},"unique_items":1}`,
  });
}

/** The product found browsing goes in the cart; sometimes a second one from its page. */
function fillCart(s: SessionDraft, product: Product): Cart {
  const { rng } = s;
  const cart = new Cart(s);
  addToCart(s, cart, product, rng.chance(0.8) ? 1 : rng.int(2, 3), s.ts - 2_000_000);
  if (rng.chance(0.35)) {
    const extraProduct = rng.pick(PRODUCTS);
    if (extraProduct !== product) {
      s.visit(`/product/${extraProduct.slug}`, extraProduct.name);
      s.viewItem(extraProduct, null);
      addToCart(s, cart, extraProduct, 1, s.ts + 4_000_000);
      s.leave();
    }
  }
  return cart;
}

/** The cart page, where a second line is sometimes taken out again. */
function viewCart(s: SessionDraft, cart: Cart): void {
  s.visit('/cart', 'Your cart');
  s.push('view_cart', s.ts, {
    extra: `[${s.money(cart.value()).slice(1)}]`,
    items: cart.items(),
    ecom: cart.ecom(),
  });
  if (cart.lines.length > 1 && s.rng.chance(0.3)) {
    const removed = cart.lines.pop()!;
    s.push('remove_from_cart', s.ts + 5_000_000, {
      newBatch: true,
      extra: `[${s.money((removed.p.price * removed.qty) / s.fx).slice(1)}]`,
      items: `[${s.itemJson(removed.p, removed.qty, '')}]`,
      ecom: `{"total_item_quantity":${removed.qty},"unique_items":1}`,
    });
  }
  s.leave();
}

/** The order: purchase (now and then logged twice, an export quirk), maybe refunded later. */
function purchase(
  s: SessionDraft,
  journey: UserJourney,
  cart: Cart,
  tier: string,
  pay: string,
): void {
  const { rng } = s;
  journey.orders++;
  const txn = `T${journey.uid}-${journey.orders}`;
  const subtotal = r2(cart.value());
  const shipping = subtotal >= 75 ? 0 : tier === 'Express' ? 15 : 6;
  const tax = r2(subtotal * 0.08);
  const revenue = r2(subtotal + shipping + tax);
  const fx = s.fx;
  s.visit('/checkout/thank-you', 'Thank you for your order');
  const items = cart.items(
    (c) =>
      `,"item_revenue":${r2((c.p.price * c.qty) / fx)},"item_revenue_in_usd":${r2(c.p.price * c.qty)}`,
  );
  const extra = `[${sParam('transaction_id', txn)}${s.money(revenue)},${dParam('shipping', shipping)},${dParam('tax', tax)},${sParam('payment_type', pay)}${rng.chance(0.15) ? `,${sParam('coupon', 'FALL10')}` : ''}]`;
  const ecom = `{"total_item_quantity":${cart.quantity()},"purchase_revenue":${revenue},"purchase_revenue_in_usd":${r2(revenue * fx)},"shipping_value":${shipping},"shipping_value_in_usd":${r2(shipping * fx)},"tax_value":${tax},"tax_value_in_usd":${r2(tax * fx)},"unique_items":${cart.lines.length},"transaction_id":${JSON.stringify(txn)}}`;
  journey.ltvUsd += revenue * fx;
  s.push('purchase', s.ts, { extra, items, ecom, valueUsd: r2(revenue * fx) });
  if (rng.chance(0.04))
    s.push('purchase', s.ts + rng.int(0, 2_000_000), {
      newBatch: true,
      extra,
      items,
      ecom,
      valueUsd: r2(revenue * fx),
    });
  if (rng.chance(0.04)) journey.pendingRefund = { txn, value: revenue, items };
  journey.known = true;
  s.leave();
}

/** Checkout, shipping, payment and the order, each step passed with its own chance. */
function checkout(s: SessionDraft, journey: UserJourney, cart: Cart, m: number): void {
  const { rng } = s;
  s.visit('/checkout', 'Checkout');
  s.push('begin_checkout', s.ts, {
    extra: `[${s.money(cart.value()).slice(1)}]`,
    items: cart.items(),
    ecom: cart.ecom(),
  });
  s.leave();
  if (!rng.chance(0.92)) return;
  s.visit('/checkout/shipping', 'Checkout: shipping');
  const tier = rng.pick(['Ground', 'Express']);
  s.push('add_shipping_info', s.ts + 20_000_000, {
    newBatch: true,
    extra: `[${sParam('shipping_tier', tier)}${s.money(cart.value())}]`,
  });
  s.leave();
  if (!rng.chance(0.68)) return;
  s.visit('/checkout/payment', 'Checkout: payment');
  const pay = rng.pick(['Credit Card', 'PayPal', 'Apple Pay']);
  s.push('add_payment_info', s.ts + 25_000_000, {
    newBatch: true,
    extra: `[${sParam('payment_type', pay)}${s.money(cart.value())}]`,
  });
  s.leave();
  if (rng.chance(Math.min(0.95, 0.6 * Math.pow(m, 0.25)))) purchase(s, journey, cart, tier, pay);
}

/**
 * A shopper's cart: filled with the product found browsing, maybe viewed, maybe checked out. `m`
 * is the session's conversion multiplier (channel, device, returning visit, the user's affinity).
 */
export function shopCart(s: SessionDraft, journey: UserJourney, product: Product, m: number): void {
  const { rng } = s;
  if (!rng.chance(Math.min(0.85, 0.4 * m))) return;
  const cart = fillCart(s, product);
  if (rng.chance(0.75)) viewCart(s, cart);
  if (rng.chance(Math.min(0.9, 0.42 * Math.sqrt(m)))) checkout(s, journey, cart, m);
}
