import type { Arrival } from './drawArrival.js';
import type { UserJourney } from './journeyTypes.js';
import { r2, sParam } from './paramJson.js';
import type { SessionDraft } from './sessionDraft.js';

/**
 * The session's first moments: a refund owed from an earlier order (logged just before), then
 * first_visit, session_start and the landing page_view in one batch on one timestamp, and what the
 * landing page shows.
 */
export function openSession(s: SessionDraft, journey: UserJourney, arrival: Arrival): void {
  const { rng } = s;
  const ts = s.ts;
  if (journey.pendingRefund && rng.chance(0.6)) {
    const refund = journey.pendingRefund;
    journey.pendingRefund = null;
    s.push('refund', ts - 1000, {
      newBatch: true,
      extra: `[${sParam('transaction_id', refund.txn)}${s.money(refund.value)}]`,
      items: refund.items,
      ecom: `{"refund_value":${r2(refund.value)},"refund_value_in_usd":${r2(refund.value * s.fx)},"transaction_id":${JSON.stringify(refund.txn)}}`,
      valueUsd: -r2(refund.value * s.fx),
    });
    journey.ltvUsd -= refund.value * s.fx;
  }
  const firstSession = journey.sessions === 1;
  if (firstSession) s.push('first_visit', ts, { first: true, newBatch: true });
  s.push('session_start', ts, { first: true, newBatch: !firstSession });
  s.push('page_view', ts, { first: true, pr: -1 });
  if (arrival.landingKind === 'home' && rng.chance(0.6))
    s.push('view_promotion', ts, { extra: `[${sParam('promotion_name', 'fall_sale_banner')}]` });
  if (arrival.landingKind === 'product') s.viewItem(arrival.landingProduct, null);
  if (arrival.landingKind === 'collection' && rng.chance(0.3))
    s.push('view_item_list', ts, {
      extra: `[${sParam('item_list_name', arrival.landingCategory)}]`,
    });
  s.leave();
}
