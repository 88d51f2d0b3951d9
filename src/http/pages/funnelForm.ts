import { BREAKDOWNS, parseFunnelSpec, type FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { InputError } from '../../errors/errors.js';
import { readSegments } from './listsFromForm.js';
import { field, fields } from './pageDeps.js';
import type { FormProblem } from './sectionFields.js';

/** At most this many segments: the spec's own limit, so the page offers no more rows. */
export const MAX_SEGMENTS = 4;

/**
 * The builder's segment rows (`segments.K.name`, `.scope`, `.event`, `.where.J.…`) read as the
 * report editor reads its segments; a value a condition cannot take lands in `problems`.
 */
export function funnelSegmentsOf(
  query: unknown,
  problems: FormProblem[],
): Record<string, unknown>[] | undefined {
  const body = (typeof query === 'object' && query !== null ? query : {}) as Record<
    string,
    unknown
  >;
  return readSegments({ body, form: 'segments', shown: 'segments', path: 'segments', problems });
}

/**
 * The funnel builder's form as a funnel spec. The same field names are read by the client script,
 * which posts the spec to /api/funnels/run for the live preview.
 * Steps: `step` = `event:NAME` or `goal:NAME`; `within` per step; `directly` lists step numbers.
 * `trend` (a checkbox) with `interval` asks for conversion over time; segments as above.
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
  const problems: FormProblem[] = [];
  const segments = funnelSegmentsOf(query, problems);
  const problem = problems[0];
  if (problem) throw new InputError(`${problem.path}: ${problem.message}`, problem.path);
  return parseFunnelSpec({
    ...(identity ? { identity } : {}),
    dateRange: { start: field(query, 'from'), end: field(query, 'to') },
    scope: field(query, 'scope') || 'user',
    type: field(query, 'type') || 'closed',
    ...(window ? { window } : {}),
    ...(breakdown ? { breakdown } : {}),
    ...(field(query, 'trend') ? { trend: { interval: field(query, 'interval') || 'day' } } : {}),
    ...(segments ? { segments } : {}),
    steps,
  });
}

export const breakdownOptions = BREAKDOWNS.map((b) => ({
  value: b,
  label: b.replaceAll('_', ' '),
}));

/** A form posted as a query string, its repeated fields as lists, as a GET form reads. */
export function formOfQuery(text: string): Record<string, string | string[]> {
  const query = new URLSearchParams(text);
  const form: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    form[key] = all.length === 1 ? all[0]! : all;
  }
  return form;
}
