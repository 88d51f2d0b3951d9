import type { Router } from 'express';
import { InputError, NotFoundError, PathlightError } from '../../errors/errors.js';
import { RunsRepo } from '../../store/runsRepo.js';
import { SchedulesRepo } from '../../store/schedulesRepo.js';
import { presetCron, type SchedulePreset } from '../../delivery/slots.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { listOutbox } from '../../delivery/outboxFolder.js';
import { runHistory } from '../../app/runHistory.js';
import { outboxRow } from './outboxPage.js';
import { field, type PageDeps } from './pageDeps.js';
import { pageError } from './pageError.js';
import { describeCron, nextRunText, runStatusText } from './scheduleText.js';

export const PRESETS: Record<string, { label: string; preset: SchedulePreset }> = {
  'daily-8': { label: 'Every day at 08:00', preset: { kind: 'daily', hour: 8 } },
  'weekdays-8': { label: 'Weekdays at 08:00', preset: { kind: 'weekdays', hour: 8 } },
  'monday-8': { label: 'Mondays at 08:00', preset: { kind: 'weekly', day: 1, hour: 8 } },
  'monthly-1-8': {
    label: 'The 1st of each month at 08:00',
    preset: { kind: 'monthly', day: 1, hour: 8 },
  },
};

const list = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A schedule from the page's form: a preset or a cron, zone, recipients, formats. */
export function scheduleFromForm(body: unknown, owner: string | undefined) {
  const preset = PRESETS[field(body, 'preset')];
  // A cron typed by hand is what the person asked for, whatever the preset list still shows.
  const typed = field(body, 'cron');
  return {
    id: field(body, 'id'),
    reportId: field(body, 'reportId'),
    name: field(body, 'name'),
    cron: typed || (preset ? presetCron(preset.preset) : ''),
    timeZone: field(body, 'timeZone'),
    recipients: { to: list(field(body, 'to')), cc: list(field(body, 'cc')), bcc: [] },
    formats: { pdf: field(body, 'pdf') === 'on', inline: field(body, 'inline') === 'on' },
    owner: field(body, 'owner') || owner,
  };
}

/** Schedules: create, send now, pause, resume; each one's runs with deliveries; the outbox. */
export function schedulesPage(router: Router, deps: PageDeps): void {
  const schedules = () => new SchedulesRepo(deps.store);
  const render = async (
    locals: Record<string, unknown>,
    error?: PathlightError,
    form?: Record<string, unknown>,
    editing?: string,
  ) => {
    const [all, reports] = await Promise.all([
      schedules().list(),
      new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports').list(),
    ]);
    const withRuns = await Promise.all(
      all.map(async (s) => ({
        ...s,
        canEdit: locals.canEdit,
        csrf: locals.csrf,
        plain: describeCron(s.cron),
        next: s.paused ? undefined : safeNext(s.cron, s.timeZone),
        recipientsText: [...s.recipients.to, ...s.recipients.cc, ...s.recipients.bcc].join(', '),
        runs: (await runHistory(deps.store, s.id, 10)).map((r) => ({
          ...r,
          when: (r.slot ?? r.createdAt).toISOString().slice(0, 19).replace('T', ' '),
          statusText: runStatusText(r),
          live: r.status === 'claimed' || r.status === 'running',
          // In the order the run goes through them, as seconds a person reads.
          stages: Object.entries(r.stageMs)
            .sort(([a], [b]) => stageRank(a) - stageRank(b))
            .map(([stage, ms]) => ({ stage: stage.replace('_', ' '), ms: seconds(ms) })),
          kindText: r.kind.replace('_', ' '),
        })),
      })),
    );
    const shownForm = form ?? {
      timeZone: 'Europe/Berlin',
      pdf: 'on',
      inline: 'on',
      preset: 'monday-8',
    };
    const typedCron = field(shownForm, 'cron');
    return deps.views.render('schedules', {
      ...locals,
      title: 'Schedules',
      nav: 'schedules',
      schedules: withRuns,
      editing,
      reports: reports.map((r) => ({
        id: r.key,
        title: String(r.definition.title ?? r.key),
        selected: r.key === field(shownForm, 'reportId'),
      })),
      presets: Object.entries(PRESETS).map(([value, p]) => ({
        value,
        label: p.label,
        selected: !typedCron && value === field(shownForm, 'preset'),
      })),
      customCron: typedCron !== '' || field(shownForm, 'preset') === '',
      outbox: listOutbox(deps.outboxDir).map(outboxRow),
      outboxEnabled: Boolean(deps.outboxDir),
      error: error ? pageError(error, scheduleFieldOf) : undefined,
      form: {
        ...Object.fromEntries(
          ['id', 'name', 'cron', 'timeZone', 'to', 'cc'].map((k) => [k, field(shownForm, k)]),
        ),
        pdf: field(shownForm, 'pdf') === 'on',
        inline: field(shownForm, 'inline') === 'on',
      },
    });
  };
  router.get('/schedules', async (req, res, next) => {
    try {
      // ?edit=ID: the form holds that schedule, to change and save over it.
      const editId = field(req.query, 'edit');
      const existing = editId ? await schedules().get(editId) : undefined;
      if (editId && !existing) throw new NotFoundError(`no schedule ${editId}`, 'id');
      const form = existing && {
        id: existing.id,
        name: existing.name,
        reportId: existing.reportId,
        cron: existing.cron,
        timeZone: existing.timeZone,
        to: existing.recipients.to.join(', '),
        cc: existing.recipients.cc.join(', '),
        pdf: existing.formats.pdf ? 'on' : '',
        inline: existing.formats.inline ? 'on' : '',
      };
      const saved = field(req.query, 'saved');
      const locals = saved ? { ...res.locals, toast: `Schedule ${saved} saved.` } : res.locals;
      res.type('html').send(await render(locals, undefined, form, existing?.id));
    } catch (error) {
      next(error);
    }
  });
  router.post('/schedules', async (req, res, next) => {
    try {
      const editing = field(req.body, 'editing');
      const spec = scheduleFromForm(req.body, req.principal?.email);
      if (!editing && (await schedules().get(spec.id)))
        throw new InputError(`id: a schedule ${spec.id} exists already; pick another id`, 'id');
      await schedules().save(editing ? { ...spec, id: editing } : spec);
      res.redirect(303, `/schedules?saved=${encodeURIComponent(editing || spec.id)}`);
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
      try {
        res
          .status(400)
          .type('html')
          .send(
            await render(
              res.locals,
              error,
              req.body as Record<string, unknown>,
              field(req.body, 'editing') || undefined,
            ),
          );
      } catch (inner) {
        next(inner);
      }
    }
  });
  router.post('/schedules/:id/:action', async (req, res, next) => {
    try {
      const id = String(req.params.id);
      const schedule = await schedules().get(id);
      if (!schedule) throw new NotFoundError(`no schedule ${id}`, 'id');
      const action = String(req.params.action);
      if (action === 'pause' || action === 'resume') {
        await schedules().setPaused(
          id,
          action === 'pause',
          action === 'pause' ? 'paused by a user' : null,
        );
      } else if (action === 'send-now') {
        await new RunsRepo(deps.store).createManual(
          schedule.reportId,
          'send_now',
          { recipients: schedule.recipients, dateRange: schedule.dateRange },
          schedule.id,
        );
      } else if (action === 'delete') {
        await schedules().delete(id);
        res.redirect(303, '/schedules');
        return;
      } else {
        throw new NotFoundError(`no action ${action}`, 'action');
      }
      res.redirect(303, `/schedules#schedule-${id}`);
    } catch (error) {
      next(error);
    }
  });
}

const STAGE_ORDER = ['query', 'html', 'pdf', 'render_total', 'send'];
const stageRank = (stage: string) =>
  STAGE_ORDER.includes(stage) ? STAGE_ORDER.indexOf(stage) : STAGE_ORDER.length;
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The next run's text, or undefined for a cron that never fires again. */
function safeNext(cron: string, timeZone: string): string | undefined {
  try {
    return nextRunText(cron, timeZone);
  } catch {
    return undefined;
  }
}

/** The schedule form's field for a path of the schedule spec. */
function scheduleFieldOf(path: string): string | undefined {
  if (path.startsWith('recipients.to') || path === 'recipients') return 'to';
  if (path.startsWith('recipients.cc')) return 'cc';
  if (path.startsWith('preset')) return 'preset';
  if (['id', 'name', 'reportId', 'cron', 'timeZone'].includes(path)) return path;
  return undefined;
}
