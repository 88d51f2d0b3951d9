import { params, type EventRow } from '../support/loadRows.js';

const T0 = 1604188800000000;

/** One event of the hand-worked map: a user, an event, seconds after midnight, a device and params. */
export const ev = (
  user: string,
  name: string,
  t: number,
  device: string,
  extra: Record<string, string | number> = {},
  more: EventRow = {},
): EventRow => ({
  event_date: '20201101',
  event_timestamp: T0 + t * 1_000_000,
  event_name: name,
  user_pseudo_id: user,
  device: { category: device },
  geo: { country: 'Germany' },
  event_params: params({ ga_session_id: 1, ...extra }),
  ...more,
});

const organic = { traffic_source: { source: 'google', medium: 'organic', name: '(organic)' } };
const plan = (value: string) => ({ user_properties: params({ plan: value }) });

const page = (path: string) => ({ page_location: `https://shop.example${path}` });

/**
 * Six users through Visit (session_start) → Cart (add_to_cart) → Checkout (begin_checkout), goal
 * purchase: two mobile searchers buy; a mobile and a desktop user repeat checkout and stop on
 * /checkout; a desktop searcher and a desktop browser leave from the home page.
 */
export const MAP_ROWS: EventRow[] = [
  ev('u1', 'session_start', 0, 'mobile'),
  ev('u1', 'view_search_results', 1, 'mobile', { search_term: 'shoes' }),
  ev('u1', 'add_to_cart', 10, 'mobile'),
  ev('u1', 'begin_checkout', 20, 'mobile'),
  ev('u1', 'purchase', 30, 'mobile', { value: 50 }),
  ev('u2', 'session_start', 0, 'mobile'),
  ev('u2', 'view_search_results', 1, 'mobile', { search_term: 'shoes' }),
  ev('u2', 'add_to_cart', 10, 'mobile'),
  ev('u2', 'begin_checkout', 20, 'mobile'),
  ev('u2', 'purchase', 30, 'mobile', { value: 150 }),
  ev('u3', 'session_start', 0, 'mobile'),
  ev('u3', 'add_to_cart', 10, 'mobile'),
  ev('u3', 'begin_checkout', 20, 'mobile'),
  ev('u3', 'begin_checkout', 25, 'mobile'),
  ev('u3', 'page_view', 26, 'mobile', page('/checkout')),
  ev('u4', 'session_start', 0, 'desktop', {}, plan('pro')),
  ev('u4', 'add_to_cart', 10, 'desktop'),
  ev('u4', 'begin_checkout', 20, 'desktop'),
  ev('u4', 'begin_checkout', 30, 'desktop'),
  ev('u4', 'page_view', 31, 'desktop', page('/checkout')),
  ev('u5', 'session_start', 0, 'desktop', { source: 'google', medium: 'organic' }, organic),
  ev('u5', 'view_search_results', 1, 'desktop', { search_term: 'shoes' }),
  ev('u5', 'page_view', 2, 'desktop', page('/')),
  ev('u6', 'session_start', 0, 'desktop'),
  ev('u6', 'page_view', 2, 'desktop', page('/')),
];

export const MAP_STAGES = {
  stages: [
    { name: 'Visit', rules: [{ event: 'session_start' }] },
    { name: 'Cart', rules: [{ event: 'add_to_cart' }] },
    { name: 'Checkout', rules: [{ event: 'begin_checkout' }] },
  ],
};

export const PERSONAS = {
  mobile: {
    name: 'Mobile',
    description: 'First seen on a phone',
    device: { category: ['mobile'] },
  },
  searchers: {
    name: 'Searchers',
    behaviour: { did: [{ event: 'view_search_results', atLeast: 1 }] },
  },
  nobody: { name: 'Nobody', geo: { country: ['Atlantis'] } },
};
