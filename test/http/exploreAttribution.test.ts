import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main/startService.js';
import { RANGE } from './support/eventsFixture.js';
import { startTestService } from './support/testApp.js';

let service: RunningService;
let auth: Record<string, string>;

beforeAll(async () => {
  service = await startTestService();
  auth = { Authorization: `Bearer ${service.adminToken}` };
});
afterAll(() => service.stop());

const explore = async (query: Record<string, string>) => {
  const params = new URLSearchParams({ analysis: 'attribution', run: '1', ...query });
  const res = await fetch(`${service.url}/explore?${params}`, { headers: auth });
  return { status: res.status, html: (await res.text()).replace(/\s+/g, ' ') };
};

describe('the attribution explore page', () => {
  it('shows every model’s credit side by side: the fixture’s two purchases, both direct', async () => {
    // u1 buys on day 1 and u3 on day 2, each in a session without campaign data: every model
    // gives both conversions to Direct. An older link's `anchor` still names the goal.
    const { status, html } = await explore({ from: RANGE.from, to: RANGE.to, anchor: 'purchase' });
    expect(status).toBe(200);
    expect(html).toContain('2 conversions (purchase) with a path');
    const direct = /<tr data-touchpoint='Direct'>(.*?)<\/tr>/.exec(html);
    const cells = [...(direct?.[1] ?? '').matchAll(/data-model='(\w+)' ?>([^<]*)<\/td>/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(cells).toEqual(
      [
        'first_touch',
        'last_touch',
        'last_non_direct',
        'linear',
        'position_based',
        'time_decay',
        'markov',
      ].map((m) => [m, '2.0']),
    );
    // The grouped bars are drawn in the browser from the options the page carries.
    expect(html).toContain("id='explore-models'");
    expect(html).toMatch(/"name":"Markov","data":\[2\]/);
  });

  it('names the page field when the lookback is wrong, once', async () => {
    const { status, html } = await explore({
      from: RANGE.from,
      to: RANGE.to,
      lookback: 'a month',
    });
    expect(status).toBe(400);
    expect(html.match(/is not a lookback/g)).toHaveLength(1);
    expect(html).toMatch(
      /name='attrLookback' value='a month' size='5' placeholder='30d' aria-invalid="true" aria-describedby="error-attrLookback"/,
    );
  });
});
