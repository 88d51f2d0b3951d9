import type { Router } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { goalSchema, type Goal } from '../../analyses/goals/goal.js';
import { parseWith } from '../../analyses/funnel/funnelSpec.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { rangeQuerySchema } from '../api/events.js';
import { eventTrends } from '../api/eventTrends.js';
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
    const range = { ...defaultRange(), ...query };
    const q = parseWith(rangeQuerySchema, { from: range.from, to: range.to });
    const dateRange = { start: q.from, end: q.to };
    const [inventory, trends, saved] = await Promise.all([
      eventInventory(deps.engine, dateRange, { includeIntraday: deps.includeIntraday ?? false }),
      eventTrends(deps.engine, dateRange, deps.includeIntraday),
      goals().list(),
    ]);
    return {
      title: 'Events and goals',
      nav: 'events',
      from: q.from,
      to: q.to,
      error: error ? { message: error.message, field: error.field } : undefined,
      events: inventory.events.map((e) => ({
        ...e,
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
