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
  it('draws the report’s attribution sections: the fixture’s two purchases, both direct', async () => {
    // u1 buys on day 1 and u3 on day 2, each in a session without campaign data: every model
    // gives both conversions to Direct, whose removal leaves none (removal effect 100%).
    const { status, html } = await explore({ from: RANGE.from, to: RANGE.to, anchor: 'purchase' });
    expect(status).toBe(200);
    expect(html).toContain('Attribution by channel');
    expect(html).toContain('2 conversions (purchase) with a path');
    const direct = /<tr><td>Direct<\/td>((?:<td class="num">[^<]*<\/td>)+)<\/tr>/.exec(html);
    const cells = [...(direct?.[1] ?? '').matchAll(/<td class="num">([^<]*)<\/td>/g)].map(
      (m) => m[1],
    );
    // Seven models, then revenue, removal effect and the change against last touch.
    expect(cells.slice(0, 7)).toEqual(['2.0', '2.0', '2.0', '2.0', '2.0', '2.0', '2.0']);
    expect(cells[8]).toBe('100%');
    expect(cells[9]).toBe('0.0');
    // The chart is the report's server-drawn SVG, and the top paths section follows.
    expect(html).toMatch(/<svg[^>]*width="680"/);
    expect(html).toContain('section-conversion_paths');
  });

  it('names the page field when the lookback is wrong', async () => {
    const { status, html } = await explore({
      from: RANGE.from,
      to: RANGE.to,
      lookback: 'a month',
    });
    expect(status).toBe(200);
    expect(html).toMatch(/data-field='lookback'>lookback: /);
  });
});
