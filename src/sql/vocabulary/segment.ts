import { z } from 'zod';
import { conditionSchema, eventNameSchema } from './condition.js';

/** A named condition on units: users (or sessions) with at least one event in the range meeting it. */
export const segmentSchema = z
  .object({
    name: z.string().min(1).max(100),
    scope: z.enum(['user', 'session']).default('user'),
    event: eventNameSchema.optional(),
    where: z.array(conditionSchema).max(10).optional(),
  })
  .strict()
  .refine((s) => s.event !== undefined || (s.where?.length ?? 0) > 0, {
    message: 'expected an event or at least one where condition',
  });
export type Segment = z.infer<typeof segmentSchema>;

/** Segments are told apart by name in every answer: a second one of a name is refused at its path. */
export function refuseDuplicateSegments(
  segments: readonly { name: string }[],
  ctx: z.RefinementCtx,
): void {
  const names = segments.map((s) => s.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['segments', i, 'name'],
        message: 'duplicate segment name',
      });
    }
  });
}
