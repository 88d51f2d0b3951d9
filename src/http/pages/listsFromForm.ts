import { readConditions } from './conditionRows.js';
import { formRows } from './formRows.js';
import { fields } from './pageDeps.js';
import type { FormProblem } from './sectionFields.js';

type Body = Record<string, unknown>;

/**
 * Where a list sits: `form`, its fields' prefix as posted; `shown`, the prefix its fields get when
 * the page is drawn again (sections renumbered from 0); `path`, the definition's path to it.
 */
export interface ListAt {
  readonly body: Body;
  readonly form: string;
  readonly shown: string;
  readonly path: string;
  readonly problems?: FormProblem[];
}

/** `event:NAME` or `goal:NAME` from a picker: a step's or an anchor's reference. */
export function refOf(picked: string): { event: string } | { goal: string } {
  return picked.startsWith('goal:')
    ? { goal: picked.slice(5) }
    : { event: picked.replace(/^event:/, '') };
}

const one = (body: Body, name: string) => fields(body, name)[0] ?? '';

/**
 * Each filled row of a list, with a reader for its fields and its conditions; rows are counted
 * as the definition counts them (blank rows skipped), so a problem names the right one.
 */
function readRows<T>(
  at: ListAt,
  read: (row: {
    position: number;
    get: (key: string) => string;
    all: (key: string) => string[];
    where: () => Record<string, unknown>[] | undefined;
    fault: (key: string, message: string, raw: string) => void;
  }) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const k of formRows(at.body, at.form)) {
    const position = out.length;
    const name = (key: string) => `${at.form}.${k}.${key}`;
    const value = read({
      position,
      get: (key) => one(at.body, name(key)),
      all: (key) => fields(at.body, name(key)),
      where: () =>
        readConditions(
          at.body,
          name('where'),
          `${at.path}[${position}].where`,
          at.problems,
          `${at.shown}.${position}.where`,
        ),
      fault: (key, message, raw) => {
        const path = `${at.path}[${position}].${key.replace(/\.(\d+)/g, '[$1]')}`;
        at.problems?.push({ path, name: `${at.shown}.${position}.${key}`, raw, message });
      },
    });
    if (value !== undefined) out.push(value);
  }
  return out;
}

const listOrNone = <T>(rows: T[]) => (rows.length ? rows : undefined);

/** A funnel's steps: each an event or a saved goal, its own name, conditions, time limit. */
export function readSteps(at: ListAt): Record<string, unknown>[] {
  return readRows(at, ({ position, get, all, where }) => {
    const ref = get('ref');
    const name = get('name');
    const conditions = where();
    if (!ref && !name && !conditions) return undefined;
    return {
      ...(name ? { name } : {}),
      ...(ref ? refOf(ref) : {}),
      ...(conditions ? { where: conditions } : {}),
      ...(get('within') ? { within: get('within') } : {}),
      ...(position > 0 && all('directly').includes('on') ? { directly: true } : {}),
    };
  });
}

/** A funnel's exclusions: an event (with conditions) that drops a journey between two steps. */
export function readExclusions(at: ListAt): Record<string, unknown>[] | undefined {
  return listOrNone(
    readRows(at, ({ get, where, fault }) => {
      const event = get('event');
      const conditions = where();
      if (!event && !conditions) return undefined;
      const step = (key: string) => {
        const text = get(key);
        if (/^\d{1,2}$/.test(text)) return Number(text);
        fault(key, 'pick a step number', text);
        return undefined;
      };
      return {
        event,
        ...(conditions ? { where: conditions } : {}),
        between: [step('between.0'), step('between.1')],
      };
    }),
  );
}

/** Segments: a name, users or sessions, and an event and/or conditions they must have met. */
export function readSegments(at: ListAt): Record<string, unknown>[] | undefined {
  return listOrNone(
    readRows(at, ({ get, where }) => {
      const name = get('name');
      const event = get('event');
      const conditions = where();
      if (!name && !event && !conditions) return undefined;
      return {
        name,
        scope: get('scope') || 'user',
        ...(event ? { event } : {}),
        ...(conditions ? { where: conditions } : {}),
      };
    }),
  );
}

/** Cleaning rules: every match of a pattern in a page path or title becomes the replacement. */
export function readCleanRules(at: ListAt): Record<string, unknown>[] | undefined {
  return listOrNone(
    readRows(at, ({ get }) =>
      get('pattern') || get('replace')
        ? { pattern: get('pattern'), replace: get('replace') }
        : undefined,
    ),
  );
}

/** A stage map: each stage's name and the events that put someone in it. */
export function readStageMap(at: ListAt): Record<string, unknown> | undefined {
  const stages = readRows(at, ({ get, all }) => {
    const name = get('name');
    const events = all('events').filter(Boolean);
    if (!name && !events.length) return undefined;
    return { name, rules: events.map((event) => ({ event })) };
  });
  return stages.length ? { stages } : undefined;
}

/** The report's further goals: a saved goal by name, or an event with its own conditions. */
export function readGoals(at: ListAt): unknown[] | undefined {
  return listOrNone(
    readRows<unknown>(at, ({ get, where }) => {
      const saved = get('saved');
      if (saved) return saved;
      const event = get('event');
      const name = get('name');
      const value = get('value');
      const conditions = where();
      if (!event && !name && !value && !conditions) return undefined;
      return {
        event,
        ...(name ? { name } : {}),
        ...(conditions ? { where: conditions } : {}),
        ...(value ? { value } : {}),
      };
    }),
  );
}
