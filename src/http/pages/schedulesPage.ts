import type { Router } from 'express';
import { PathlightError } from '../../errors/errors.js';
import { RunsRepo } from '../../store/runsRepo.js';
import { SchedulesRepo } from '../../store/schedulesRepo.js';
import { presetCron, type SchedulePreset } from '../../delivery/slots.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { listOutbox } from '../../delivery/outboxFolder.js';
import { runHistory } from '../../app/runHistory.js';
import { outboxRow } from './outboxPage.js';
import { field, type PageDeps } from './pageDeps.js';

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
  return {
    id: field(body, 'id'),
    reportId: field(body, 'reportId'),
    name: field(body, 'name'),
    cron: preset ? presetCron(preset.preset) : field(body, 'cron'),
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
    form?: unknown,
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
        recipientsText: [...s.recipients.to, ...s.recipients.cc, ...s.recipients.bcc].join(', '),
        runs: (await runHistory(deps.store, s.id, 10)).map((r) => ({
          ...r,
          when: (r.slot ?? r.createdAt).toISOString().slice(0, 19).replace('T', ' '),
          // In the order the run goes through them, as seconds a person reads.
          stages: Object.entries(r.stageMs)
            .sort(([a], [b]) => stageRank(a) - stageRank(b))
            .map(([stage, ms]) => ({ stage: stage.replace('_', ' '), ms: seconds(ms) })),
          kindText: r.kind.replace('_', ' '),
        })),
      })),
    );
    return deps.views.render('schedules', {
      ...locals,
      title: 'Schedules',
      nav: 'schedules',
      schedules: withRuns,
      reports: reports.map((r) => ({
        id: r.key,
        title: String(r.definition.title ?? r.key),
        selected: r.key === field(form, 'reportId'),
      })),
      presets: Object.entries(PRESETS).map(([value, p]) => ({
        value,
        label: p.label,
        selected: value === field(form, 'preset'),
      })),
      customCron: form !== undefined && field(form, 'preset') === '',
      outbox: listOutbox(deps.outboxDir).map(outboxRow),
      outboxEnabled: Boolean(deps.outboxDir),
      error: error ? { message: error.message, field: error.field } : undefined,
      form: form ?? { timeZone: 'Europe/Berlin', pdf: true, inline: true },
    });
  };
  router.get('/schedules', async (_req, res, next) => {
    try {
      res.type('html').send(await render(res.locals));
    } catch (error) {
      next(error);
    }
  });
  router.post('/schedules', async (req, res, next) => {
    try {
      await schedules().save(scheduleFromForm(req.body, req.principal?.email));
      res.redirect(303, '/schedules');
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
      try {
        res
          .status(400)
          .type('html')
          .send(await render(res.locals, error, req.body));
      } catch (inner) {
        next(inner);
      }
    }
  });
  router.post('/schedules/:id/:action', async (req, res, next) => {
    try {
      const id = String(req.params.id);
      const schedule = await schedules().get(id);
      if (!schedule) {
        res.status(404);
        throw new PathlightError(`no schedule ${id}`);
      }
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
      } else {
        res.status(404).end();
        return;
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
