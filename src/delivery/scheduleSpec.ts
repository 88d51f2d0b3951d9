import { z } from 'zod';
import { RELATIVE_RANGES } from '../reports/relativeDateRange.js';
import { cronFor, isTimeZone } from './slots.js';

/** A deliberately plain address check: one @, no spaces, a dot in the domain. */
const email = z
  .string()
  .trim()
  .regex(
    /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/,
    'expected an email address like name@example.com',
  );

export const recipientsSchema = z
  .object({
    to: z.array(email).default([]),
    cc: z.array(email).default([]),
    bcc: z.array(email).default([]),
  })
  .strict()
  .refine((r) => r.to.length + r.cc.length + r.bcc.length > 0, {
    message: 'at least one recipient is needed',
    path: ['to'],
  })
  .refine((r) => r.to.length + r.cc.length + r.bcc.length <= 50, {
    message: 'at most 50 recipients',
    path: ['to'],
  });

export const scheduleSpecSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected lower-case letters, digits and dashes'),
    reportId: z.string().min(1),
    name: z.string().trim().min(1).max(200),
    cron: z.string().trim().min(1),
    timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone like Europe/Berlin'),
    recipients: recipientsSchema,
    formats: z
      .object({ pdf: z.boolean().default(true), inline: z.boolean().default(true) })
      .strict()
      .default({ pdf: true, inline: true }),
    /** Replaces the report's own range, resolved at each slot; null keeps the report's. */
    dateRange: z
      .enum(RELATIVE_RANGES, { error: `expected one of ${RELATIVE_RANGES.join(', ')}` })
      .nullable()
      .default(null),
    owner: email,
  })
  .strict()
  .superRefine((spec, ctx) => {
    try {
      cronFor(spec.cron, spec.timeZone);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['cron'],
        message: error instanceof Error ? error.message.replace(/^cron: /, '') : 'invalid',
      });
    }
  });

export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;
export type Recipients = z.infer<typeof recipientsSchema>;
