import { BREAKDOWNS, parseFunnelSpec, type FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { field, fields } from './pageDeps.js';

/**
 * The funnel builder's form as a funnel spec. The same field names are read by the client script,
 * which posts the spec to /api/funnels/run for the live preview.
 * Steps: `step` = `event:NAME` or `goal:NAME`; `within` per step; `directly` lists step numbers.
 */
export function funnelSpecFromForm(query: unknown): FunnelSpec {
  const within = fields(query, 'within');
  const directly = new Set(fields(query, 'directly'));
  const steps = fields(query, 'step')
    .filter((s) => s !== '')
    .map((s, i) => {
      const [kind, ...rest] = s.split(':');
      const name = rest.join(':');
      return {
        ...(kind === 'goal' ? { goal: name } : { event: name }),
        ...(within[i] ? { within: within[i] } : {}),
        ...(i > 0 && directly.has(String(i + 1)) ? { directly: true } : {}),
      };
    });
  const window = field(query, 'window');
  const breakdown = field(query, 'breakdown');
  const identity = field(query, 'identity');
  return parseFunnelSpec({
    ...(identity ? { identity } : {}),
    dateRange: { start: field(query, 'from'), end: field(query, 'to') },
    scope: field(query, 'scope') || 'user',
    type: field(query, 'type') || 'closed',
    ...(window ? { window } : {}),
    ...(breakdown ? { breakdown } : {}),
    steps,
  });
}

export const breakdownOptions = BREAKDOWNS.map((b) => ({
  value: b,
  label: b.replaceAll('_', ' '),
}));
