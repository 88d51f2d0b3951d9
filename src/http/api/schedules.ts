import type { Router } from 'express';
import { NotFoundError } from '../../errors/errors.js';
import { RunsRepo } from '../../store/runsRepo.js';
import { parseScheduleSpec, SchedulesRepo } from '../../store/schedulesRepo.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { presetCron, type SchedulePreset } from '../../delivery/slots.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';
import { runHistory } from '../../app/runHistory.js';

/** Schedules: CRUD, pause and resume, send now, and the run history with deliveries. */
export function schedulesRoutes(router: Router, deps: ApiDeps): void {
  const repo = () => new SchedulesRepo(deps.store);
  const existing = async (id: string) => {
    const schedule = await repo().get(id);
    if (!schedule) throw new NotFoundError(`no schedule ${id}`, 'id');
    return schedule;
  };
  router.get(
    '/schedules',
    handle(async () => ({ schedules: await repo().list() })),
  );
  router.get(
    '/schedules/:id',
    handle(async (req) => existing(param(req, 'id'))),
  );
  router.put(
    '/schedules/:id',
    handle(async (req) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { preset, ...rest } = body;
      const owner = rest.owner ?? req.principal?.email;
      // A preset (daily at 8, weekdays, weekly, monthly) is a cron expression chosen for the user.
      const cron = preset ? presetCron(preset as SchedulePreset) : rest.cron;
      return repo().save({ ...rest, cron, id: param(req, 'id'), owner });
    }),
  );
  router.delete(
    '/schedules/:id',
    handle(async (req, res) => {
      if (!(await repo().delete(param(req, 'id'))))
        throw new NotFoundError(`no schedule ${param(req, 'id')}`, 'id');
      res.status(204).end();
    }),
  );
  for (const action of ['pause', 'resume'] as const) {
    router.post(
      `/schedules/:id/${action}`,
      handle(async (req) => {
        const id = param(req, 'id');
        await existing(id);
        await repo().setPaused(
          id,
          action === 'pause',
          action === 'pause' ? 'paused by a user' : null,
        );
        return existing(id);
      }),
    );
  }
  router.post(
    '/schedules/:id/send-now',
    handle(async (req, res) => {
      const schedule = await existing(param(req, 'id'));
      const run = await new RunsRepo(deps.store).createManual(
        schedule.reportId,
        'send_now',
        { recipients: schedule.recipients, dateRange: schedule.dateRange },
        schedule.id,
      );
      res.status(202);
      return run;
    }),
  );
  // A test send of a schedule as typed in the form, saved or not: a run of kind 'test', no slot.
  router.post(
    '/schedules/test-send',
    handle(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { preset, ...rest } = body;
      const spec = parseScheduleSpec({
        id: 'test-send',
        ...rest,
        cron: preset ? presetCron(preset as SchedulePreset) : (rest.cron ?? '0 8 * * 1'),
        owner: rest.owner ?? req.principal?.email,
      });
      if (!(await new DefinitionsRepo(deps.store, 'reports').get(spec.reportId)))
        throw new NotFoundError(`no report ${spec.reportId}`, 'reportId');
      const run = await new RunsRepo(deps.store).createManual(spec.reportId, 'test', {
        recipients: spec.recipients,
        formats: spec.formats,
        dateRange: spec.dateRange,
        name: `${spec.name} (test send)`,
      });
      res.status(202);
      return run;
    }),
  );
  router.get(
    '/schedules/:id/runs',
    handle(async (req) => {
      const id = param(req, 'id');
      await existing(id);
      return { runs: await runHistory(deps.store, id) };
    }),
  );
  router.get(
    '/runs/:id',
    handle(async (req) => {
      const run = await new RunsRepo(deps.store).get(Number(param(req, 'id')));
      if (!run) throw new NotFoundError(`no run ${param(req, 'id')}`, 'id');
      return run;
    }),
  );
}
