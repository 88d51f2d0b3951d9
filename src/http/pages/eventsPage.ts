import type { Router } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { goalSchema, type Goal } from '../../analyses/goals/goal.js';
import { parseWith } from '../../errors/parseWith.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { checkGoalName } from '../../store/storeKeys.js';
import { eventTrends } from '../api/eventTrends.js';
import { goalPreview } from '../api/goalPreview.js';
import { field, type PageDeps } from './pageDeps.js';
import { pageError, type PageError } from './pageError.js';
import { pageRange } from './pageRange.js';
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
  const name = field(body, 'name');
  if (name) checkGoalName(name);
  return parseWith(goalSchema, {
    name,
    event: field(body, 'event'),
    ...(where ? { where } : {}),
    value: field(body, 'value') || 'none',
  });
}

/** Events and goals: what the property records, its parameters' top values, saved goals. */
export function eventsPage(router: Router, deps: PageDeps): void {
  const goals = () => new DefinitionsRepo<Goal>(deps.store, 'goals');
  const render = async (query: Record<string, unknown>, error?: PathlightError) => {
    const range = pageRange(field(query, 'from'), field(query, 'to'));
    const dateRange = { start: range.from, end: range.to };
    // A range that cannot be queried is shown on its field; the goals still list.
    const [inventory, trends, saved, keyEvents] = await Promise.all([
      range.error
        ? Promise.resolve({ events: [] })
        : eventInventory(deps.engine, dateRange, {
            includeIntraday: deps.includeIntraday ?? false,
          }),
      range.error
        ? Promise.resolve({} as Awaited<ReturnType<typeof eventTrends>>)
        : eventTrends(deps.engine, dateRange, deps.includeIntraday),
      goals().list(),
      deps.keyEvents?.() ?? Promise.resolve([] as string[]),
    ]);
    const shown: PageError | undefined =
      range.error ?? (error ? pageError(error, goalFieldOf) : undefined);
    return {
      title: 'Events and goals',
      nav: 'events',
      charts: true,
      from: range.from,
      to: range.to,
      error: shown,
      toast: field(query, 'saved') ? `Goal ${field(query, 'saved')} saved.` : undefined,
      rangeOk: !range.error,
      // What was typed into the goal form comes back with its error.
      form: error ? formEcho(query) : undefined,
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
      const previewing = field(req.body, 'preview') !== '';
      // A preview needs no name yet; a save does.
      const body = req.body as Record<string, unknown>;
      const goal = goalFromForm(
        previewing ? { ...body, name: field(body, 'name') || 'preview' } : body,
      );
      if (previewing) {
        // Without script: the page again, with the goal's daily conversions under the form.
        const range = pageRange(field(req.body, 'from'), field(req.body, 'to'));
        if (range.error) throw new InputError(range.error.message, 'dateRange');
        const days = await goalPreview(deps.engine, goal, { start: range.from, end: range.to });
        const context = await render({ ...(req.body as object), from: range.from, to: range.to });
        res.type('html').send(
          deps.views.render('events', {
            ...context,
            ...res.locals,
            preview: {
              days,
              spark: sparkline(days.map((d) => d.units)),
              // Said in words: a row of zeros alone reads like a fault.
              none: days.every((d) => d.units === 0),
            },
          }),
        );
        return;
      }
      const saved = await goals().saveFromUi(goal.name, goal);
      if (!saved.saved)
        throw new InputError(`goal ${goal.name} comes from ${saved.filePath}`, 'name');
      const back = new URLSearchParams({
        from: field(req.body, 'from'),
        to: field(req.body, 'to'),
        saved: goal.name,
      });
      res.redirect(303, `/events?${back.toString()}#goals`);
    } catch (error) {
      if (!(error instanceof InputError)) return next(error);
      try {
        const context = await render(req.body as Record<string, unknown>, error);
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

/** The goal form's field for a path of the goal schema (one condition: `where[0]`). */
function goalFieldOf(path: string): string | undefined {
  if (path === 'name' || path === 'event' || path === 'value') return path;
  const cond = /^where\[0\]\.(param|op|value)$/.exec(path)?.[1];
  if (cond) return { param: 'condParam', op: 'condOp', value: 'condValue' }[cond];
  if (path.startsWith('where')) return 'condParam';
  return undefined;
}

/** The goal form's fields as they were posted, for the form to show them back. */
function formEcho(body: Record<string, unknown>) {
  const names = ['name', 'event', 'condParam', 'condOp', 'condValue', 'value'] as const;
  return Object.fromEntries(names.map((n) => [n, field(body, n)]));
}
