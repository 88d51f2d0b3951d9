import { cronFor } from '../../delivery/slots.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const two = (n: string) => n.padStart(2, '0');
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/**
 * A cron expression in the words a marketer uses, for the shapes the schedules page offers
 * (daily, weekdays, a day of the week, a day of the month); any other shape is quoted as it is.
 */
export function describeCron(cron: string): string {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return `On the cron schedule ${cron}`;
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || month !== '*')
    return `On the cron schedule ${cron}`;
  const at = `at ${two(hour)}:${two(minute)}`;
  if (dom === '*' && dow === '*') return `Every day ${at}`;
  if (dom === '*' && dow === '1-5') return `Weekdays ${at}`;
  if (dom === '*' && /^[0-7]$/.test(dow)) return `Every ${DAYS[Number(dow) % 7]} ${at}`;
  if (/^\d{1,2}$/.test(dom) && dow === '*')
    return `On the ${ordinal(Number(dom))} of each month ${at}`;
  if (dom === 'L' && dow === '*') return `On the last day of each month ${at}`;
  return `On the cron schedule ${cron}`;
}

/** The next time a schedule runs, in its zone: `Mon 7 Dec 08:00`; undefined when it never does. */
export function nextRunText(
  cron: string,
  timeZone: string,
  after = new Date(),
): string | undefined {
  const next = cronFor(cron, timeZone).nextRun(after);
  if (!next) return undefined;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(next)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute}`;
}

/** A run's status as the page says it; a running run's stage comes from what it recorded. */
export function runStatusText(run: {
  status: string;
  stageMs: Record<string, number>;
  error: string | null;
}): string {
  if (run.status === 'claimed') return 'waiting to start';
  if (run.status === 'running')
    return 'render_total' in run.stageMs ? 'sending' : 'querying and rendering';
  if (run.status === 'failed') return run.error ? `failed: ${run.error}` : 'failed';
  if (run.status === 'partial') return `partly sent: ${run.error ?? ''}`.trim();
  return run.status;
}
