import { createEventsDb, params, type EventRow } from '../support/loadRows.js';

/** Two days, 2024-03-01 and 2024-03-02; every count the page tests expect is worked out below. */
export const RANGE = { from: '2024-03-01', to: '2024-03-02' };

const DAY0 = Date.UTC(2024, 2, 1) * 1000;
const MIN = 60_000_000;

function ev(
  user: string,
  device: string,
  day: number,
  minute: number,
  name: string,
  p: Record<string, string | number> = {},
): EventRow {
  return {
    event_date: `2024030${day + 1}`,
    event_timestamp: DAY0 + day * 1440 * MIN + minute * MIN,
    event_name: name,
    user_pseudo_id: user,
    event_params: params({ ga_session_id: 100 + day, ...p }),
    device: { category: device },
  };
}

// Users, devices and what they did (minutes in order):
// u1 desktop, day 1: page_view, view_item EUR, add_to_cart, purchase USD 30
// u2 mobile,  day 1: page_view, view_item USD, add_to_cart, purchase EUR 20
// u3 desktop, day 2: page_view, view_item USD, purchase USD 10 (no add_to_cart)
// u4 mobile,  day 2: page_view, view_item EUR
// u5 mobile,  day 2: page_view
// `currency` is carried by view_item (4 events) and purchase (3): two events share a parameter.
// Goal "purchase where currency = USD": u1 (day 1), u3 (day 2) -> per day [1, 1]; all purchases
// would be [2, 1].
// Funnel page_view -> add_to_cart -> purchase, users, closed: 5, 2, 2 (u3 never added to cart).
// By device: desktop u1, u3 -> 2, 1, 1; mobile u2, u4, u5 -> 3, 1, 1.
export const ROWS: Record<string, EventRow[]> = {
  '20240301': [
    ev('u1', 'desktop', 0, 1, 'page_view', { page_type: 'product' }),
    ev('u1', 'desktop', 0, 2, 'view_item', { currency: 'EUR' }),
    ev('u1', 'desktop', 0, 3, 'add_to_cart'),
    ev('u1', 'desktop', 0, 4, 'purchase', { currency: 'USD', value: 30 }),
    ev('u2', 'mobile', 0, 5, 'page_view', { page_type: 'product' }),
    ev('u2', 'mobile', 0, 6, 'view_item', { currency: 'USD' }),
    ev('u2', 'mobile', 0, 7, 'add_to_cart'),
    ev('u2', 'mobile', 0, 8, 'purchase', { currency: 'EUR', value: 20 }),
  ],
  '20240302': [
    ev('u3', 'desktop', 1, 1, 'page_view', { page_type: 'home' }),
    ev('u3', 'desktop', 1, 2, 'view_item', { currency: 'USD' }),
    ev('u3', 'desktop', 1, 3, 'purchase', { currency: 'USD', value: 10 }),
    ev('u4', 'mobile', 1, 4, 'page_view', { page_type: 'home' }),
    ev('u4', 'mobile', 1, 5, 'view_item', { currency: 'EUR' }),
    ev('u5', 'mobile', 1, 6, 'page_view', { page_type: 'home' }),
  ],
};

export const pagesDb = (): Promise<string> => createEventsDb(ROWS);
