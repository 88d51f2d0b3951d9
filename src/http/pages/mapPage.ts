import type { Router } from 'express';
import { identityChoices } from './identityChoices.js';
import { parseMapSpec } from '../../analyses/map/mapSpec.js';
import { resolvePersonas } from '../../analyses/map/resolvePersonas.js';
import { runMap } from '../../analyses/map/runMap.js';
import { MAX_PERSONAS } from '../../analyses/personas/personaSpec.js';
import { DEFAULT_STAGE_MAP } from '../../analyses/stages/stageMap.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { PersonasRepo } from '../../store/personasRepo.js';
import { jsonFieldMessage, parseJsonField } from './jsonField.js';
import { mapView } from './mapView.js';
import { field, fields, type PageDeps } from './pageDeps.js';
import { pageError, type PageError } from './pageError.js';
import { pageRange } from './pageRange.js';

const DEFAULT_MAP_TEXT = JSON.stringify(DEFAULT_STAGE_MAP, null, 2);

/** The map form's field for a path of the map spec. */
export function mapFieldOf(path: string): string | undefined {
  if (path === 'dateRange.start' || path === 'dateRange') return 'from';
  if (path === 'dateRange.end') return 'to';
  if (path === 'goal' || path === 'minSupport' || path === 'identity') return path;
  if (path.startsWith('personas')) return 'persona';
  if (path.startsWith('stageMap')) return 'stageMap';
  return undefined;
}

/** The form as typed, defaults filled in. */
function formValues(q: unknown) {
  const custom = field(q, 'stages') === 'custom';
  return {
    personas: fields(q, 'persona').filter(Boolean),
    identity: field(q, 'identity') || 'blended',
    goal: field(q, 'goal') || 'purchase',
    minSupport: field(q, 'minSupport') || '30',
    custom,
    stageMap: custom ? field(q, 'stageMap') || DEFAULT_MAP_TEXT : DEFAULT_MAP_TEXT,
  };
}

/** The spec's input from the form; what the form itself cannot read fails on its field. */
function specInput(values: ReturnType<typeof formValues>, from: string, to: string) {
  if (values.personas.length > MAX_PERSONAS)
    throw new InputError(
      `personas: pick at most ${MAX_PERSONAS} personas (${values.personas.length} are ticked)`,
      'personas',
    );
  if (!/^\d+$/.test(values.minSupport))
    throw new InputError('minSupport: must be a whole number, like 30', 'minSupport');
  let stageMap: unknown;
  if (values.custom) {
    const parsed = parseJsonField(values.stageMap);
    // The text stays in its box, above the message.
    if (!parsed.ok)
      throw new InputError(
        `stageMap: ${jsonFieldMessage(parsed).replace('kept below', 'kept above')}`,
        'stageMap',
      );
    stageMap = parsed.value;
  }
  return {
    dateRange: { start: from, end: to },
    identity: values.identity,
    goal: values.goal,
    personas: values.personas,
    minSupport: Number(values.minSupport),
    ...(stageMap === undefined ? {} : { stageMap }),
  };
}

/** The journey map page: personas, stage map, goal and range in; the map and its table out. */
export function mapPage(router: Router, deps: PageDeps): void {
  const repo = () => new PersonasRepo(deps.store);
  router.get('/map', async (req, res, next) => {
    try {
      const values = formValues(req.query);
      const range = pageRange(field(req.query, 'from'), field(req.query, 'to'));
      const saved = (await repo().list()).map((s) => s.persona);
      let error: PageError | undefined = range.error;
      let result;
      if (!error && field(req.query, 'run')) {
        try {
          const spec = parseMapSpec(specInput(values, range.from, range.to));
          const personas = await resolvePersonas(
            spec,
            async (name) => (await repo().get(name))?.persona,
          );
          result = mapView(
            await runMap(deps.engine, spec, personas, {
              ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
            }),
          );
        } catch (caught) {
          if (!(caught instanceof PathlightError) || caught.status !== 400) throw caught;
          error = pageError(caught, mapFieldOf);
        }
      }
      res.type('html').send(
        deps.views.render('map', {
          ...res.locals,
          title: 'Journey map',
          nav: 'map',
          from: range.from,
          to: range.to,
          values,
          identities: identityChoices(values.identity),
          personas: saved.map((p) => ({
            name: p.name,
            description: p.description,
            checked: values.personas.includes(p.name),
          })),
          error,
          result,
          // A report's journey map section uses the default stage map, so only such a map
          // opens there.
          report:
            result && !values.custom
              ? {
                  personas: values.personas,
                  minSupport: values.minSupport,
                  goal: values.goal,
                  ...(values.identity === 'blended' ? {} : { identity: values.identity }),
                }
              : undefined,
        }),
      );
    } catch (error) {
      next(error);
    }
  });
}
