import { z } from 'zod';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

export const dateSchema = z
  .string()
  .regex(DATE, 'expected a date like 2020-11-01')
  .refine(isRealDate, 'expected a real calendar date');

/** An inclusive range of export days (the property's time zone, as `event_date` is). */
export const dateRangeSchema = z
  .object({ start: dateSchema, end: dateSchema })
  .strict()
  .refine((range) => range.start <= range.end, {
    message: 'start must not be after end',
    path: ['end'],
  });

export type DateRange = z.infer<typeof dateRangeSchema>;

export const dateRangeParams = (range: DateRange, includeIntraday = false) => ({
  start_date: range.start,
  end_date: range.end,
  include_intraday: includeIntraday,
});
