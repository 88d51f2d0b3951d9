import { ORIGIN } from './catalog.js';
import type { UserJourney } from './journeyTypes.js';
import { dParam, sParam } from './paramJson.js';
import type { SessionDraft } from './sessionDraft.js';

/** A contact or demo form: started, then sent as a lead. */
function leadForm(s: SessionDraft): void {
  const form = s.rng.chance(0.6)
    ? ['contact', 'Contact us', '/contact', 'Contact']
    : ['demo_request', 'Request a demo', '/demo', 'Request a demo'];
  s.visit(form[2]!, form[3]!);
  s.push('form_start', s.ts + 5_000_000, {
    newBatch: true,
    extra: `[${sParam('form_id', form[0]!)},${sParam('form_name', form[1]!)}]`,
  });
  s.push('generate_lead', s.ts + 40_000_000, {
    newBatch: true,
    extra: `[${sParam('form_id', form[0]!)},${sParam('form_name', form[1]!)},${sParam('currency', 'USD')},${dParam('value', form[0] === 'demo_request' ? 50 : 10)}]`,
  });
  s.leave();
}

function newsletter(s: SessionDraft): void {
  s.push('generate_lead', s.ts + 3_000_000, {
    newBatch: true,
    extra: `[${sParam('form_id', 'newsletter')},${sParam('form_name', 'Newsletter signup')}]`,
  });
  s.push('newsletter_subscribe', s.ts + 3_000_000, {
    extra: `[${sParam('form_id', 'newsletter')}]`,
  });
}

function signUp(s: SessionDraft, journey: UserJourney): void {
  s.visit('/signup', 'Create your account');
  s.push('sign_up', s.ts + 30_000_000, {
    newBatch: true,
    extra: `[${sParam('method', s.rng.chance(0.6) ? 'email' : 'google')}]`,
  });
  journey.known = true;
  s.leave();
}

/** A size guide or price list, sometimes with the outbound-link click GA4 logs beside it. */
function download(s: SessionDraft): void {
  const { rng } = s;
  const ext = rng.chance(0.7) ? 'pdf' : 'xlsx';
  const file = ext === 'pdf' ? 'size-guide.pdf' : 'wholesale-price-list.xlsx';
  const url = `${ORIGIN}/files/${file}`;
  s.push('file_download', s.ts, {
    newBatch: true,
    extra: `[${sParam('file_name', `/files/${file}`)},${sParam('file_extension', ext)},${sParam('link_url', url)},${sParam('link_text', ext === 'pdf' ? 'Size guide' : 'Price list')},${sParam('link_domain', 'shop.example.com')}]`,
  });
  if (rng.chance(0.3))
    s.push('click', s.ts + 1000, {
      extra: `[${sParam('link_url', url)},${sParam('outbound', 'false')}]`,
    });
}

/** Lead goals and content, rarer than shopping: forms, the newsletter, sign-ups, downloads. */
export function sideGoals(s: SessionDraft, journey: UserJourney): void {
  const { rng } = s;
  if (rng.chance(0.012)) leadForm(s);
  if (rng.chance(journey.sessions === 1 ? 0.02 : 0.008)) newsletter(s);
  if (!journey.known && rng.chance(0.01)) signUp(s, journey);
  if (rng.chance(0.012)) download(s);
}
