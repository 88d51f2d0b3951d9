import type { Router } from 'express';
import { z } from 'zod';
import { dateSchema } from '../../sql/vocabulary/dateRange.js';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { parseWith } from '../../errors/parseWith.js';
import type { ApiDeps } from './apiDeps.js';
import { eventTrends } from './eventTrends.js';
import { handle } from './handler.js';

export const rangeQuerySchema = z
  .object({ from: dateSchema, to: dateSchema, trend: z.enum(['true', 'false']).optional() })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

/** GET /api/events: the inventory (counts, parameter keys with top values) and daily trends. */
export function eventsRoutes(router: Router, deps: ApiDeps): void {
  router.get(
    '/events',
    handle(async (req) => {
      const q = parseWith(rangeQuerySchema, req.query);
      const range = { start: q.from, end: q.to };
      const [inventory, trends, keyEvents] = await Promise.all([
        eventInventory(deps.engine, range, { includeIntraday: deps.includeIntraday ?? false }),
        q.trend === 'false'
          ? Promise.resolve(undefined)
          : eventTrends(deps.engine, range, deps.includeIntraday),
        deps.keyEvents?.() ?? Promise.resolve([] as string[]),
      ]);
      return {
        dateRange: inventory.dateRange,
        keyEventsKnown: deps.keyEvents !== undefined,
        events: inventory.events.map((e) => ({
          ...e,
          keyEvent: keyEvents.includes(e.name),
          daily: trends?.[e.name] ?? [],
        })),
      };
    }),
  );
}
