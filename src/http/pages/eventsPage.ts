import type { Router } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { goalSchema, type Goal } from '../../analyses/goals/goal.js';
import { parseWith } from '../../errors/parseWith.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { rangeQuerySchema } from '../api/events.js';
import { eventTrends } from '../api/eventTrends.js';
import { goalPreview } from '../api/goalPreview.js';
import { defaultRange, field, type PageDeps } from './pageDeps.js';
import { sparkline } from './sparkline.js';

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A goal from the page's form: event, one optional parameter condition, value source. */
export function goalFromForm(body: unknown): Goal {
  const key = field(body, 'condParam');
  const raw = field(body, 'condValue');
  const op = field(body, 'condOp') || 'eq';
  const where = key
    ? [
        {
          param: key,
          op,
          value: NUMBER.test(raw) && field(body, 'condType') !== 'string' ? Number(raw) : raw,
        },
      ]
    : undefined;
  return parseWith(goalSchema, {
    name: field(body, 'name'),
    event: field(body, 'event'),
    ...(where ? { where } : {}),
    value: field(body, 'value') || 'none',
  });
}

/** Events and goals: what the property records, its parameters' top values, saved goals. */
export function eventsPage(router: Router, deps: PageDeps): void {
  const goals = () => new DefinitionsRepo<Goal>(deps.store, 'goals');
  const render = async (query: Record<string, unknown>, error?: PathlightError) => {
    const range = {
      from: (query.from as string | undefined) || defaultRange().from,
      to: (query.to as string | undefined) || defaultRange().to,
    };
    const q = parseWith(rangeQuerySchema, { from: range.from, to: range.to });
    const dateRange = { start: q.from, end: q.to };
    const [inventory, trends, saved, keyEvents] = await Promise.all([
      eventInventory(deps.engine, dateRange, { includeIntraday: deps.includeIntraday ?? false }),
      eventTrends(deps.engine, dateRange, deps.includeIntraday),
      goals().list(),
      deps.keyEvents?.() ?? Promise.resolve([] as string[]),
    ]);
    return {
      title: 'Events and goals',
      nav: 'events',
      from: q.from,
      to: q.to,
      error: error ? { message: error.message, field: error.field } : undefined,
      // Without a GA4 property the page says where key events would come from, not nothing.
      keyEventsOff: deps.keyEvents === undefined,
      events: inventory.events.map((e) => ({
        ...e,
        keyEvent: keyEvents.includes(e.name),
        keysLabel: e.params.length === 1 ? '1 key' : `${e.params.length} keys`,
        spark: sparkline((trends[e.name] ?? []).map((d) => d.events)),
        params: e.params.map((p) => ({
          ...p,
          topValues: p.topValues.map((v) => ({
            ...v,
            event: e.name,
            key: p.key,
            text: v.value === null ? '(not set)' : String(v.value),
          })),
        })),
      })),
      goals: saved.map((g) => ({
        ...g.definition,
        conditions: (g.definition.where ?? [])
          .map(
            (c) =>
              `${c.param ?? c.item ?? c.field} ${c.op} ${c.value ?? (c.values ?? []).join(', ')}`,
          )
          .join(' and '),
        fromFile: g.source === 'file',
        filePath: g.filePath,
      })),
    };
  };
  router.get('/events', async (req, res, next) => {
    try {
      res
        .type('html')
        .send(deps.views.render('events', { ...(await render(req.query)), ...res.locals }));
    } catch (error) {
      next(error);
    }
  });
  router.post('/goals', async (req, res, next) => {
    try {
      const goal = goalFromForm(req.body);
      if (field(req.body, 'preview')) {
        // Without script: the page again, with the goal's daily conversions under the form.
        const range = { from: field(req.body, 'from'), to: field(req.body, 'to') };
        const days = await goalPreview(deps.engine, goal, { start: range.from, end: range.to });
        const context = await render(range);
        res.type('html').send(
          deps.views.render('events', {
            ...context,
            ...res.locals,
            preview: { days, spark: sparkline(days.map((d) => d.units)) },
          }),
        );
        return;
      }
      const saved = await goals().saveFromUi(goal.name, goal);
      if (!saved.saved)
        throw new InputError(`goal ${goal.name} comes from ${saved.filePath}`, 'name');
      res.redirect(
        303,
        `/events?from=${field(req.body, 'from')}&to=${field(req.body, 'to')}#goals`,
      );
    } catch (error) {
      if (!(error instanceof InputError)) return next(error);
      try {
        const context = await render(
          { from: field(req.body, 'from'), to: field(req.body, 'to') },
          error,
        );
        res
          .status(400)
          .type('html')
          .send(deps.views.render('events', { ...context, ...res.locals }));
      } catch (inner) {
        next(inner);
      }
    }
  });
}
