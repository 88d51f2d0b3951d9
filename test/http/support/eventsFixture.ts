import { createEventsDb, params, type EventRow } from '../../support/loadRows.js';

/** Three days, 2024-03-01 to 2024-03-03. Every count the tests expect is worked out by hand below. */
export const RANGE = { from: '2024-03-01', to: '2024-03-03' };

const DAY0 = Date.UTC(2024, 2, 1) * 1000;
const MIN = 60_000_000;

function ev(
  user: string,
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
    device: { category: 'desktop' },
  };
}

// u1: product view -> cart -> purchase (day 0); u2: product view -> cart (day 0);
// u3: home view, product view -> cart -> purchase (day 1); u4: home view (day 2); u5: product view (day 2).
// page_view: 6 events (u1, u2, u3 x2, u4, u5), users 5; page_type=product: u1, u2, u3, u5 (4 events).
// add_to_cart: 3 (u1, u2, u3); purchase: 2 (u1, u3).
// Funnel page_view[page_type=product] -> add_to_cart -> purchase, users, closed: 4, 3, 2.
export const ROWS: Record<string, EventRow[]> = {
  '20240301': [
    ev('u1', 0, 1, 'page_view', { page_type: 'product' }),
    ev('u1', 0, 2, 'add_to_cart'),
    ev('u1', 0, 3, 'purchase', { value: 30 }),
    ev('u2', 0, 5, 'page_view', { page_type: 'product' }),
    ev('u2', 0, 6, 'add_to_cart'),
  ],
  '20240302': [
    ev('u3', 1, 1, 'page_view', { page_type: 'home' }),
    ev('u3', 1, 2, 'page_view', { page_type: 'product' }),
    ev('u3', 1, 3, 'add_to_cart'),
    ev('u3', 1, 4, 'purchase', { value: 12 }),
  ],
  '20240303': [
    ev('u4', 2, 1, 'page_view', { page_type: 'home' }),
    ev('u5', 2, 2, 'page_view', { page_type: 'product' }),
  ],
};

export const eventsDb = (dir?: string): Promise<string> => createEventsDb(ROWS, dir);
