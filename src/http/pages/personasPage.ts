import type { Response, Router } from 'express';
import { parseMapSpec } from '../../analyses/map/mapSpec.js';
import { runMap } from '../../analyses/map/runMap.js';
import {
  MAX_DID_CONDITIONS,
  MAX_PERSONAS,
  MAX_PROPERTY_CONDITIONS,
  parsePersona,
  type Persona,
} from '../../analyses/personas/personaSpec.js';
import { DEFAULT_STAGE_MAP } from '../../analyses/stages/stageMap.js';
import { InputError, NotFoundError, PathlightError } from '../../errors/errors.js';
import { PersonasRepo } from '../../store/personasRepo.js';
import { field, type PageDeps } from './pageDeps.js';
import { pageError, type PageError } from './pageError.js';
import { pageRange } from './pageRange.js';
import {
  PROPERTY_OPS,
  channelChoices,
  deviceChoices,
  formValuesFromPersona,
  formValuesOf,
  personaFieldOf,
  personaInputOf,
  type PersonaFormValues,
} from './personaForm.js';
import { personaSummary } from './personaSummary.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** How many users each of the first four personas holds in the range, and how many are in several. */
async function sizes(deps: PageDeps, personas: Persona[], from: string, to: string) {
  const measured = personas.slice(0, MAX_PERSONAS);
  if (measured.length === 0) return { byName: new Map<string, string[]>(), note: '' };
  try {
    const spec = parseMapSpec({ dateRange: { start: from, end: to }, personas: measured });
    const result = await runMap(deps.engine, spec, measured, {
      ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
    });
    const byName = new Map(
      result.personas
        .slice(1)
        .map((p) => [
          p.name,
          [
            p.users.toLocaleString('en-US'),
            pct(p.shareOfAll),
            p.overlapUsers.toLocaleString('en-US'),
          ],
        ]),
    );
    const overlap = result.overlap
      ? `${result.overlap.users.toLocaleString('en-US')} users (${pct(result.overlap.share)} of the personas' users) are in more than one persona.`
      : '';
    const skipped =
      personas.length > MAX_PERSONAS
        ? ` Sizes are counted for the first ${MAX_PERSONAS} personas; a journey map compares up to ${MAX_PERSONAS}.`
        : '';
    return { byName, note: `${overlap}${skipped}`.trim() };
  } catch (error) {
    if (!(error instanceof PathlightError) || error.status !== 400) throw error;
    return { byName: new Map<string, string[]>(), note: `Sizes not counted: ${error.message}` };
  }
}

/** The form's context: values as typed, the boxes ticked, the condition rows numbered. */
function formContext(values: PersonaFormValues) {
  const v = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  return {
    values,
    channels: channelChoices(values),
    devices: deviceChoices(values),
    stages: DEFAULT_STAGE_MAP.stages.map((s) => s.name),
    properties: [...Array(MAX_PROPERTY_CONDITIONS).keys()].map((j) => ({
      number: j + 1,
      key: `userProperties.${j}.key`,
      op: `userProperties.${j}.op`,
      value: `userProperties.${j}.value`,
      keyValue: v(`userProperties.${j}.key`),
      valueValue: v(`userProperties.${j}.value`),
      ops: PROPERTY_OPS.map((o) => ({
        ...o,
        selected: o.value === (v(`userProperties.${j}.op`) || 'eq'),
      })),
    })),
    did: [...Array(MAX_DID_CONDITIONS).keys()].map((j) => ({
      number: j + 1,
      event: `behaviour.did.${j}.event`,
      atLeast: `behaviour.did.${j}.atLeast`,
      eventValue: v(`behaviour.did.${j}.event`),
      atLeastValue: v(`behaviour.did.${j}.atLeast`),
    })),
  };
}

export const NO_CONDITION =
  'Fill in at least one condition: a channel, a source, a device, a place, a user property or a behaviour.';

/** An error of the persona form on its field; the persona as a whole has its own words. */
function personaError(error: PathlightError): PageError {
  if (error.field) return pageError(error, personaFieldOf);
  const message = /at least one condition/.test(error.message)
    ? NO_CONDITION
    : error.message.replace(/^\(spec\): /, '');
  return { field: '', where: '', message, onField: false };
}

/** Saved personas: the list with each one's size and overlap, and a form to create or edit one. */
export function personasPage(router: Router, deps: PageDeps): void {
  const repo = () => new PersonasRepo(deps.store);
  const render = async (
    res: Response,
    query: unknown,
    form: { values: PersonaFormValues; editing?: string; error?: PageError },
    status = 200,
  ) => {
    const range = pageRange(field(query, 'from'), field(query, 'to'));
    const saved = (await repo().list()).map((s) => s.persona);
    // Counting runs the map's query over the range: only when asked, so the list opens at once.
    const counting = field(query, 'count') !== '' && !range.error;
    const counted = counting
      ? await sizes(deps, saved, range.from, range.to)
      : { byName: new Map<string, string[]>(), note: '' };
    const saveNote = field(query, 'saved');
    res
      .status(status)
      .type('html')
      .send(
        deps.views.render('personas', {
          ...res.locals,
          title: 'Personas',
          nav: 'personas',
          from: range.from,
          to: range.to,
          rangeError: range.error,
          counted: counting,
          personas: saved.map((p) => {
            const size = counted.byName.get(p.name);
            return {
              name: p.name,
              description: p.description,
              summary: personaSummary(p),
              users: size?.[0] ?? '–',
              share: size?.[1] ?? '–',
              overlap: size?.[2] ?? '–',
              editHref: `/personas?edit=${encodeURIComponent(p.name)}#persona-form`,
              mapHref: `/map?persona=${encodeURIComponent(p.name)}`,
            };
          }),
          sizeNote: counted.note,
          toast: saveNote ? `Persona ${saveNote} saved.` : undefined,
          editing: form.editing,
          error: form.error,
          ...formContext(form.values),
        }),
      );
  };

  router.get('/personas', async (req, res, next) => {
    try {
      const edit = field(req.query, 'edit');
      const stored = edit ? await repo().get(edit) : undefined;
      if (edit && !stored) throw new NotFoundError(`no persona named ${edit}`, 'name');
      await render(res, req.query, {
        values: stored ? formValuesFromPersona(stored.persona) : formValuesOf({}),
        ...(stored ? { editing: stored.persona.name } : {}),
      });
    } catch (error) {
      next(error);
    }
  });

  router.post('/personas', async (req, res, next) => {
    const values = formValuesOf(req.body);
    const editing = field(req.body, 'editing') || undefined;
    try {
      const persona = parsePersona(personaInputOf(values));
      // A new name must not overwrite another persona; editing may keep or change its own name.
      if (persona.name !== editing && (await repo().get(persona.name)))
        throw new InputError(
          `name: a persona ${persona.name} exists already; pick another name`,
          'name',
        );
      await repo().save(persona);
      // Renamed: the old name goes only once the new one is saved, so nothing is lost between.
      if (editing && editing !== persona.name) await repo().delete(editing);
      res.redirect(303, `/personas?saved=${encodeURIComponent(persona.name)}`);
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
      try {
        await render(
          res,
          {},
          {
            values,
            ...(editing ? { editing } : {}),
            error: personaError(error),
          },
          400,
        );
      } catch (inner) {
        next(inner);
      }
    }
  });

  router.post('/personas/:name/delete', async (req, res, next) => {
    try {
      if (!(await repo().delete(String(req.params.name))))
        throw new NotFoundError(`no persona named ${String(req.params.name)}`, 'name');
      res.redirect(303, '/personas');
    } catch (error) {
      next(error);
    }
  });
}
