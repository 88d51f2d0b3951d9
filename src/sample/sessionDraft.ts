import { ORIGIN, type Product } from './catalog.js';
import type { Sink } from './journeyTypes.js';
import { dParam, iParam, r2, sParam } from './paramJson.js';
import type { Random } from './random.js';

/** One drawn event of a session, before the loader nests it. */
export interface Line {
  ts: number;
  name: string;
  /** Interned page location, title and referrer; -1 is the landing URL, -2 none. */
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

/**
 * A session being drawn: its clock, the page the visitor is on and the events so far. The acts of a
 * session (landing, browsing, the cart, side goals) move the clock forward through it, drawing
 * from the user's one stream, so their order is the sample's order.
 */
export class SessionDraft {
  readonly lines: Line[] = [];
  private page: { pl: number; pt: number; pr: number };
  private lastLocation: string;

  constructor(
    readonly rng: Random,
    private readonly sink: Sink,
    /** The user's currency, and its rate to USD (prices are kept in USD). */
    readonly currency: string,
    readonly fx: number,
    /** The session's clock, micros. */
    public ts: number,
    landingUrl: string,
    landingTitle: string,
  ) {
    this.page = { pl: -1, pt: sink.str(landingTitle), pr: -1 };
    this.lastLocation = landingUrl;
  }

  push(name: string, at: number, extra: Partial<Line> = {}): void {
    this.lines.push({
      ts: at,
      name,
      pl: this.page.pl,
      pt: this.page.pt,
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
  }

  /** Time on a page: a few seconds plus an exponential tail. */
  private dwell(): number {
    return Math.round(3_000_000 + this.rng.exp(40_000_000));
  }

  /** Stays on the page (maybe scrolling), reports engagement, then moves on. */
  leave(): void {
    const d = this.dwell();
    if (this.rng.chance(0.37))
      this.push('scroll', this.ts + Math.round(d * 0.6), {
        newBatch: true,
        extra: `[${iParam('percent_scrolled', 90)}]`,
      });
    this.ts += d;
    if (this.rng.chance(0.8))
      this.push('user_engagement', this.ts, {
        eng: Math.round((d / 1000) * (0.6 + this.rng.next() * 0.4)),
        newBatch: true,
      });
    this.ts += this.rng.int(200_000, 2_000_000);
  }

  /** A page_view of another page of the shop, referred by the previous one. */
  visit(path: string, title: string): void {
    const loc = `${ORIGIN}${path}`;
    this.page = {
      pl: this.sink.str(loc),
      pt: this.sink.str(title),
      pr: this.sink.str(this.lastLocation),
    };
    this.lastLocation = loc;
    this.push('page_view', this.ts, { pr: this.page.pr, newBatch: true });
  }

  itemJson(p: Product, qty: number, extra: string): string {
    return `{"item_id":${j(p.id)},"item_name":${j(p.name)},"item_brand":${j(p.brand)},"item_category":${j(p.category)},"price":${r2(p.price / this.fx)},"price_in_usd":${p.price},"quantity":${qty}${extra},"item_params":[]}`;
  }

  /** `,currency,value` parameters in the user's currency. */
  money(value: number): string {
    return `,${sParam('currency', this.currency)},${dParam('value', r2(value))}`;
  }

  viewItem(p: Product, listName: string | null): void {
    this.push('view_item', this.ts, {
      extra: `[${this.money(p.price / this.fx).slice(1)}]`,
      items: `[${this.itemJson(p, 1, listName ? `,"item_list_name":${j(listName)}` : '')}]`,
    });
  }

  pageViews(): number {
    return this.lines.reduce((n, l) => n + (l.name === 'page_view' ? 1 : 0), 0);
  }
}
