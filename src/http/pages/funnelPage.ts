import type { Router } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { runFunnel, type FunnelResult } from '../../analyses/funnel/runFunnel.js';
import { InputError } from '../../errors/errors.js';
import { goalsByName } from '../api/goals.js';
import { breakdownOptions, funnelSpecFromForm } from './funnelForm.js';
import { defaultRange, field, fields, type PageDeps } from './pageDeps.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const choices = (chosen: string, labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label, selected: value === chosen }));

/** Bars and rows of a funnel result, as the page and the client script show them. */
export function funnelView(result: FunnelResult) {
  const first = result.steps[0]?.count ?? 0;
  return {
    unit: result.unit,
    steps: result.steps.map((s, i) => ({
      ...s,
      number: i + 1,
      conversion: pct(s.conversionRate),
      fromPreviousText: pct(s.fromPrevious),
      barWidth: first > 0 ? Math.max(1, Math.round((s.count / first) * 100)) : 0,
    })),
    bytesProcessed: result.bytesProcessed,
  };
}

/** The funnel builder: pickers, options, and (without script) a server-side preview. */
export function funnelPage(router: Router, deps: PageDeps): void {
  router.get('/funnel', async (req, res, next) => {
    try {
      const range = defaultRange();
      const from = field(req.query, 'from') || range.from;
      const to = field(req.query, 'to') || range.to;
      const [inventory, goals] = await Promise.all([
        eventInventory(deps.engine, { start: from, end: to }, { topValues: 1 }),
        goalsByName(deps),
      ]);
      const chosen = fields(req.query, 'step');
      const within = fields(req.query, 'within');
      const directly = new Set(fields(req.query, 'directly'));
      const rows = (chosen.length > 0 ? chosen : ['', '', '']).map((value, i) => ({
        number: i + 1,
        value,
        within: within[i] ?? '',
        directly: directly.has(String(i + 1)),
      }));
      const pickers = [
        ...inventory.events.map((e) => ({
          value: `event:${e.name}`,
          label: e.name,
          group: 'event',
        })),
        ...[...goals.keys()].map((g) => ({
          value: `goal:${g}`,
          label: `Goal: ${g}`,
          group: 'goal',
        })),
      ];
      let result;
      let error;
      if (chosen.filter(Boolean).length >= 2) {
        try {
          const spec = funnelSpecFromForm({ ...req.query, from, to });
          result = funnelView(await runFunnel(deps.engine, spec, { goals }));
        } catch (caught) {
          if (!(caught instanceof InputError)) throw caught;
          error = { message: caught.message, field: caught.field };
        }
      }
      // Opened from the report editor: the builder can put this funnel back into that section.
      const report = field(req.query, 'report');
      const section = field(req.query, 'section');
      const into =
        /^[a-z0-9][a-z0-9-]{0,63}$/.test(report) && /^\d{1,2}$/.test(section)
          ? { report, section, number: Number(section) + 1 }
          : undefined;
      res.type('html').send(
        deps.views.render('funnel', {
          ...res.locals,
          title: 'Funnel builder',
          nav: 'funnel',
          from,
          to,
          rows: rows.map((r) => ({
            ...r,
            options: pickers.map((p) => ({ ...p, selected: p.value === r.value })),
          })),
          pickers,
          scopes: choices(field(req.query, 'scope') || 'user', {
            user: 'users',
            session: 'sessions',
          }),
          types: choices(field(req.query, 'type') || 'closed', {
            closed: 'closed (enter at step 1)',
            open: 'open (enter at any step)',
          }),
          window: field(req.query, 'window'),
          breakdowns: breakdownOptions.map((b) => ({
            ...b,
            selected: b.value === field(req.query, 'breakdown'),
          })),
          result,
          error,
          into,
          // Without script the save forms carry the funnel as it was last previewed.
          funnelQuery: new URLSearchParams(
            Object.entries(req.query).flatMap(([k, v]) =>
              (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)]),
            ),
          ).toString(),
        }),
      );
    } catch (error) {
      next(error);
    }
  });
}
