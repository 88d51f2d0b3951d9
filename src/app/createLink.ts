import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../errors/errors.js';
import { parseWith } from '../errors/parseWith.js';
import { RELATIVE_RANGES } from '../reports/relativeDateRange.js';
import { reportDateRangeSchema, type ReportDateRange } from '../reports/reportDefinition.js';
import { DefinitionsRepo } from '../store/definitionsRepo.js';
import { LinksRepo, type LinkSource } from '../store/linksRepo.js';
import type { Queryable } from '../store/storeDb.js';
import type { LinkKeys } from '../links/linkSecrets.js';
import { MAX_SPAN_DAYS, signLink, type RangeGrant } from '../links/linkToken.js';

const TTL = /^([1-9][0-9]{0,3})(h|d|w)$/;
const TTL_SECONDS: Record<string, number> = { h: 3600, d: 86_400, w: 7 * 86_400 };
/** A year and a day: a link is for looking at a report for a while, not a standing door to the data. */
export const MAX_TTL_SECONDS = 366 * 86_400;

/** `30d` → seconds; `12h`, `2w` too. */
export const ttlSeconds = (ttl: string): number => {
  const match = TTL.exec(ttl);
  if (!match) throw new Error(`not a ttl: ${ttl}`);
  return Number(match[1]) * (TTL_SECONDS[match[2] as string] as number);
};

/** What whoever shares a report may choose; the API, the Share dialog and the CLI all parse this. */
export const linkRequestSchema = z
  .object({
    ttl: z
      .string()
      .regex(TTL, 'expected a lifetime like 12h, 30d or 2w')
      .refine((t) => !TTL.test(t) || ttlSeconds(t) <= MAX_TTL_SECONDS, 'expected at most 366 days')
      .default('30d'),
    /** The range the link opens on; absent, the report's own (relative ranges move with time). */
    range: reportDateRangeSchema.optional(),
    /** Relative ranges the viewer may switch to. */
    ranges: z.array(z.enum(RELATIVE_RANGES)).min(1).max(RELATIVE_RANGES.length).optional(),
    /** Or: any start and end dates up to this many days apart. */
    maxSpanDays: z.number().int().min(1).max(MAX_SPAN_DAYS).optional(),
  })
  .strict()
  .refine((r) => !(r.ranges && r.maxSpanDays), {
    message: 'choose a list of ranges or a maximum span, not both',
    path: ['maxSpanDays'],
  });
export type LinkRequest = z.input<typeof linkRequestSchema>;

export interface LinkDeps {
  readonly store: Queryable;
  readonly keys: LinkKeys;
  /** Where viewers reach the service; read when the link is made (the embedded default learns its port late). */
  readonly publicUrl: () => string;
  /**
   * Whether a report exists (a link to nothing is refused when it is made, not when opened);
   * by default, whether the store holds it.
   */
  readonly reportExists?: (id: string) => Promise<boolean>;
}

export interface CreatedLink {
  readonly id: string;
  readonly url: string;
  readonly pdfUrl: string;
  readonly expiresAt: Date;
  readonly range: ReportDateRange | null;
  readonly ranges: RangeGrant | null;
}

/**
 * Makes a shared link: checks the request, records the link (who, when, until when, what it
 * grants), then signs a token carrying the same grant and the record's id.
 */
export async function createLink(
  deps: LinkDeps,
  input: { reportId: string; request: unknown; createdBy: string; source: LinkSource },
  now = new Date(),
): Promise<CreatedLink> {
  const request = parseWith(linkRequestSchema, input.request ?? {});
  const exists =
    deps.reportExists ??
    (async (id: string) =>
      (await new DefinitionsRepo(deps.store, 'reports').get(id)) !== undefined);
  if (!(await exists(input.reportId))) throw new NotFoundError(`no report ${input.reportId}`, 'id');
  const seconds = ttlSeconds(request.ttl);
  const ranges: RangeGrant | null = request.ranges
    ? { list: [...new Set(request.ranges)] }
    : request.maxSpanDays
      ? { maxDays: request.maxSpanDays }
      : null;
  const params = request.range ? { dateRange: request.range } : {};
  const id = randomBytes(12).toString('base64url');
  // Whole seconds: the token's expiry and the stored one are the same instant.
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + seconds) * 1000);
  const token = signLink(
    deps.keys,
    {
      id,
      report: input.reportId,
      params,
      formats: ['html', 'pdf'],
      ttlSeconds: seconds,
      ...(ranges ? { ranges } : {}),
    },
    now,
  );
  await new LinksRepo(deps.store).create({
    id,
    reportId: input.reportId,
    createdBy: input.createdBy,
    createdAt: now,
    expiresAt,
    kid: deps.keys.current,
    params,
    ranges,
    formats: ['html', 'pdf'],
    source: input.source,
  });
  const url = `${deps.publicUrl().replace(/\/+$/, '')}/r/${token}`;
  return { id, url, pdfUrl: `${url}.pdf`, expiresAt, range: request.range ?? null, ranges };
}
