import { InputError } from '../../errors/errors.js';
import { jsonFieldMessage, parseJsonField } from './jsonField.js';
import { fields } from './pageDeps.js';
import {
  SECTION_DESCRIPTORS,
  descriptorOf,
  sectionFieldName,
  type FieldDescriptor,
  type FormProblem,
} from './sectionFields.js';
import { readConditions } from './conditionRows.js';
import { mergeMore, setPath } from './sectionMore.js';
import {
  readCleanRules,
  readExclusions,
  readSegments,
  readStageMap,
  readSteps,
  refOf,
  type ListAt,
} from './listsFromForm.js';

export { refOf } from './listsFromForm.js';

type Body = Record<string, unknown>;

/**
 * One control's value as the definition holds it, or undefined when left empty; `fault` notes a
 * value the form cannot read (its text is kept and shown back).
 */
function readControl(
  at: ListAt,
  f: FieldDescriptor,
  fault: (key: string) => (message: string, raw: string) => void,
): unknown {
  const { body, form: name } = at;
  const all = fields(body, name);
  const value = all[0] ?? '';
  switch (f.editor.kind) {
    case 'checkbox':
      // A hidden `off` sits before each box, so an unticked box still says it was on the form.
      if (all.includes('on')) return true;
      return all.includes('off') && f.editor.defaultOn ? false : undefined;
    case 'steps':
      return readSteps(at);
    case 'exclusions':
      return readExclusions(at);
    case 'segments':
      return readSegments(at);
    case 'clean':
      return readCleanRules(at);
    case 'stageMap':
      return readStageMap({
        ...at,
        form: `${name}.stages`,
        shown: `${at.shown}.stages`,
        path: `${at.path}.stages`,
      });
    case 'group': {
      // Off unless ticked; on, each of its options as any other control reads it.
      if (!all.includes('on')) return undefined;
      const group: Record<string, unknown> = {};
      for (const sub of f.editor.fields) {
        const key = (a: string) => `${a}.${sub.key}`;
        const value = readControl(
          { ...at, form: key(name), shown: key(at.shown), path: key(at.path) },
          sub,
          (k) => fault(`${f.key}.${k}`),
        );
        if (value !== undefined) group[sub.key] = value;
      }
      return group;
    }
    case 'anchor': {
      if (value === '') return undefined;
      const where = readConditions(
        body,
        `${name}.where`,
        `${at.path}.where`,
        at.problems,
        `${at.shown}.where`,
      );
      if (where) return { ...refOf(value), where };
      return value.startsWith('goal:') ? refOf(value) : value.replace(/^event:/, '');
    }
    case 'events':
    case 'personas': {
      const picked = all.filter(Boolean);
      return picked.length ? picked : undefined;
    }
    case 'number': {
      if (value === '') return undefined;
      const n = Number(value);
      if (Number.isFinite(n)) return n;
      fault(f.key)('must be a number', value);
      return undefined;
    }
    default:
      return value === '' ? undefined : value;
  }
}

/** Form positions of the sections (`section.N.type`), in order. */
function sectionIndexes(body: Body): number[] {
  return [
    ...new Set(
      Object.keys(body)
        .map((k) => /^section\.(\d{1,2})\.type$/.exec(k)?.[1])
        .filter((i): i is string => i !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
}

/**
 * The sections of a report form, in the form's order, as raw definitions for the schema to check:
 * each control's value, over what the section's JSON box (`section.N.more`) holds. A value the
 * form cannot even read (a number that is not one, JSON that does not parse) is noted in
 * `problems` with its text, or without a collector an InputError naming the section's path.
 */
export function sectionsFromForm(body: Body, problems?: FormProblem[]): Record<string, unknown>[] {
  return sectionIndexes(body).map((formIndex, position) => {
    const prefix = (key: string) => sectionFieldName(formIndex, key);
    const type = fields(body, prefix('type'))[0] ?? '';
    const descriptor = descriptorOf(type);
    if (!descriptor)
      throw new InputError(
        `sections[${position}].type: expected one of ${SECTION_DESCRIPTORS.map((d) => d.type).join(', ')}`,
        `sections[${position}].type`,
      );
    const faultAt = (key: string) => (message: string, raw: string) => {
      const path = `sections[${position}].${key}`;
      if (!problems) throw new InputError(`${path}: ${message}`, path);
      problems.push({ path, name: sectionFieldName(position, key), raw, message });
    };
    const controls: Record<string, unknown> = {};
    for (const f of descriptor.fields) {
      const at: ListAt = {
        body,
        form: prefix(f.key),
        shown: sectionFieldName(position, f.key),
        path: `sections[${position}].${f.key}`,
        ...(problems ? { problems } : {}),
      };
      const value = readControl(at, f, faultAt);
      if (value !== undefined) setPath(controls, f.key, value);
    }
    const moreText = fields(body, prefix('more'))[0] ?? '';
    let more: unknown;
    if (moreText) {
      const parsed = parseJsonField(moreText);
      if (!parsed.ok) faultAt('more')(jsonFieldMessage(parsed), moreText);
      else if (typeof parsed.value === 'object' && parsed.value && !Array.isArray(parsed.value))
        more = parsed.value;
      else faultAt('more')('write the other options as one { … } object', moreText);
    }
    return { ...(mergeMore(more, controls) as Record<string, unknown>), type };
  });
}
