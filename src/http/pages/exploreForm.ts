import { lookbackSchema, TOUCHPOINTS } from '../../analyses/attribution/attributionSpec.js';
import type { Goal } from '../../analyses/goals/goal.js';
import { field } from './pageDeps.js';
import type { PageError } from './pageError.js';
import { pageRange } from './pageRange.js';

export const ANALYSES = {
  paths: 'Paths',
  'next-step': 'Next step',
  stages: 'Stages',
  attribution: 'Attribution',
} as const;
export type Analysis = keyof typeof ANALYSES;

/** A picker's choice: `event:NAME` or `goal:NAME` (a bare name, as older links carry, is an event). */
export interface Picked {
  readonly kind: 'event' | 'goal';
  readonly name: string;
}

export function readPicked(value: string): Picked | null {
  if (value === '') return null;
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  if (kind === 'goal' || kind === 'event') return { kind, name: value.slice(at + 1) };
  return { kind: 'event', name: value };
}

/** The form as typed: every analysis's fieldset, so switching analysis loses nothing. */
export interface ExploreForm {
  readonly analysis: string;
  readonly from: string;
  readonly to: string;
  /** Whose journey, for every analysis of the page. */
  readonly identity: string;
  readonly pathsStart: string;
  readonly pathsScope: string;
  readonly pathsSteps: string;
  readonly nextGoal: string;
  readonly nextScope: string;
  readonly stagesGoal: string;
  readonly attrGoal: string;
  readonly attrTouchpoint: string;
  readonly attrLookback: string;
}

const asPick = (value: string) => (value === '' || value.includes(':') ? value : `event:${value}`);

/**
 * The page's query as a form. Links written before each analysis had its own fields (`anchor`,
 * `scope`, `steps`, `touchpoint`, `lookback`) still open the same analysis.
 */
export function readExploreForm(q: unknown): ExploreForm {
  const anchor = asPick(field(q, 'anchor'));
  const own = (name: string, fallback: string) =>
    (q as Record<string, unknown>)?.[name] === undefined ? fallback : field(q, name);
  const scope = field(q, 'scope') || 'session';
  const range = pageRange(field(q, 'from'), field(q, 'to'));
  return {
    analysis: field(q, 'analysis') || 'paths',
    from: range.from,
    to: range.to,
    identity: field(q, 'identity') || 'blended',
    pathsStart: own('pathsStart', anchor),
    pathsScope: own('pathsScope', scope),
    pathsSteps: own('pathsSteps', field(q, 'steps') || '4'),
    nextGoal: own('nextGoal', anchor || 'event:purchase'),
    nextScope: own('nextScope', scope),
    stagesGoal: own('stagesGoal', anchor || 'event:purchase'),
    attrGoal: own('attrGoal', anchor || 'event:purchase'),
    attrTouchpoint: own('attrTouchpoint', field(q, 'touchpoint') || 'channel'),
    attrLookback: own('attrLookback', field(q, 'lookback') || '30d'),
  };
}

const EVENT = /^[A-Za-z0-9_.\- ]{1,100}$/;
const onField = (name: string, message: string): PageError => ({
  field: name,
  where: '',
  message,
  onField: true,
});

/** A picker's value checked: an event name the queries accept, or a goal that is saved. */
function checkPicked(
  name: string,
  value: string,
  goals: ReadonlyMap<string, Goal>,
  optional = false,
): PageError | undefined {
  const picked = readPicked(value);
  if (!picked) return optional ? undefined : onField(name, 'Pick an event or a saved goal.');
  if (picked.kind === 'goal' && !goals.has(picked.name))
    return onField(
      name,
      `There is no saved goal named "${picked.name}"${goals.size ? `; saved goals: ${[...goals.keys()].join(', ')}` : ''}.`,
    );
  if (picked.kind === 'event' && !EVENT.test(picked.name))
    return onField(name, `"${picked.name}" is not an event name.`);
  return undefined;
}

const checkScope = (name: string, value: string) =>
  value === 'session' || value === 'user' ? undefined : onField(name, 'Choose sessions or users.');

/** The first field of the chosen analysis (and the dates) that cannot be run, in plain words. */
export function checkExploreForm(
  q: unknown,
  form: ExploreForm,
  goals: ReadonlyMap<string, Goal>,
): PageError | undefined {
  if (!(form.analysis in ANALYSES))
    return onField('analysis', `Choose one of ${Object.values(ANALYSES).join(', ')}.`);
  const range = pageRange(field(q, 'from'), field(q, 'to'));
  if (range.error) return range.error;
  const analysis = form.analysis as Analysis;
  if (analysis === 'paths') {
    const steps = Number(form.pathsSteps);
    return (
      checkPicked('pathsStart', form.pathsStart, goals, true) ??
      checkScope('pathsScope', form.pathsScope) ??
      (/^\d{1,2}$/.test(form.pathsSteps) && steps >= 2 && steps <= 10
        ? undefined
        : onField('pathsSteps', 'Steps must be a whole number from 2 to 10.'))
    );
  }
  if (analysis === 'next-step')
    return checkPicked('nextGoal', form.nextGoal, goals) ?? checkScope('nextScope', form.nextScope);
  if (analysis === 'stages') return checkPicked('stagesGoal', form.stagesGoal, goals);
  return (
    checkPicked('attrGoal', form.attrGoal, goals) ??
    ((TOUCHPOINTS as readonly string[]).includes(form.attrTouchpoint)
      ? undefined
      : onField('attrTouchpoint', `Choose one of ${TOUCHPOINTS.join(', ')}.`)) ??
    (lookbackSchema.safeParse(form.attrLookback).success
      ? undefined
      : onField(
          'attrLookback',
          `"${form.attrLookback}" is not a lookback: write a number and a unit (m, h or d), like 30d, up to 90d.`,
        ))
  );
}
