import { params, type EventRow } from './loadRows.js';

// One person on two devices and a stranger, on 2024-03-01 (minutes after midnight):
//   d1 (mobile):  page_view at 1, add_to_cart at 2, then page_view at 3 signed in as alice
//   d2 (desktop): purchase at 10 signed in as alice
//   d3 (mobile):  page_view at 5, never signed in
// People: blended, alice (d1 + d2) and d3: 2; device, d1, d2, d3: 3; user_id, alice alone: 1.
export const TWO_DEVICES_DAY = '2024-03-01';
const T0 = Date.UTC(2024, 2, 1) * 1000;
const ev = (device: string, category: string, minute: number, name: string, userId?: string) =>
  ({
    event_date: '20240301',
    event_timestamp: T0 + minute * 60_000_000,
    event_name: name,
    user_pseudo_id: device,
    ...(userId ? { user_id: userId } : {}),
    event_params: params({ ga_session_id: 1 }),
    device: { category },
  }) as EventRow;
export const TWO_DEVICES_ROWS = [
  ev('d1', 'mobile', 1, 'page_view'),
  ev('d1', 'mobile', 2, 'add_to_cart'),
  ev('d1', 'mobile', 3, 'page_view', 'alice'),
  ev('d2', 'desktop', 10, 'purchase', 'alice'),
  ev('d3', 'mobile', 5, 'page_view'),
];
