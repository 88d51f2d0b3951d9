import type { SectionDescriptor } from './sectionFields.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parent object of a dotted key inside `root`, and the key's last part. */
function parentOf(root: Record<string, unknown>, key: string): [Record<string, unknown>?, string?] {
  const parts = key.split('.');
  const last = parts.pop();
  let at: unknown = root;
  for (const p of parts) at = isObject(at) ? at[p] : undefined;
  return isObject(at) ? [at, last] : [];
}

export function getPath(root: Record<string, unknown>, key: string): unknown {
  const [parent, last] = parentOf(root, key);
  return parent && last ? parent[last] : undefined;
}

export function setPath(root: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  const last = parts.pop() as string;
  let at = root;
  for (const p of parts) {
    if (!isObject(at[p])) at[p] = {};
    at = at[p] as Record<string, unknown>;
  }
  at[last] = value;
}

const STEP_KEYS = ['name', 'event', 'goal', 'where', 'within', 'directly'];

/** A stage map the stage controls can show: each rule an event alone (at its first occurrence). */
export function plainStageMap(
  value: unknown,
): value is { stages: { name: string; rules: { event: string }[] }[] } {
  if (!isObject(value) || Object.keys(value).some((k) => k !== 'stages')) return false;
  const stages = value.stages;
  return (
    Array.isArray(stages) &&
    stages.every(
      (s) =>
        isObject(s) &&
        Object.keys(s).every((k) => k === 'name' || k === 'rules') &&
        typeof s.name === 'string' &&
        Array.isArray(s.rules) &&
        s.rules.every(
          (r) =>
            isObject(r) &&
            typeof r.event === 'string' &&
            Object.keys(r).every((k) => k === 'event' || (k === 'occurrence' && r[k] === 1)),
        ),
    )
  );
}

/** Removes what a control edits from the value at `key` (in place). */
function dropCovered(root: Record<string, unknown>, key: string, kind: string): void {
  const [parent, last] = parentOf(root, key);
  if (!parent || !last || !(last in parent)) return;
  const value = parent[last];
  if (kind === 'steps' && Array.isArray(value))
    parent[last] = value.map((s) =>
      isObject(s)
        ? Object.fromEntries(Object.entries(s).filter(([k]) => !STEP_KEYS.includes(k)))
        : {},
    );
  else if (kind === 'anchor' && isObject(value))
    parent[last] = Object.fromEntries(
      Object.entries(value).filter(([k]) => !['event', 'goal', 'where'].includes(k)),
    );
  else if (kind === 'stageMap' && !plainStageMap(value)) return;
  else if (kind === 'personas' && Array.isArray(value))
    parent[last] = value.filter((p) => typeof p !== 'string');
  else delete parent[last];
}

/** Empty objects, and lists of nothing but empty objects, go: they say nothing. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune);
    return items.every((i) => i === undefined) ? undefined : items.map((i) => i ?? {});
  }
  if (!isObject(value)) return value;
  const entries = Object.entries(value)
    .map(([k, v]) => [k, prune(v)] as const)
    .filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/**
 * What a section holds that none of its controls edits (a funnel's exclusions, a step's
 * conditions, cleaning rules): the editor shows it as JSON and merges it back, so nothing is lost.
 */
export function uncovered(
  section: Record<string, unknown>,
  descriptor: SectionDescriptor,
): Record<string, unknown> | undefined {
  const rest = structuredClone(section);
  delete rest.type;
  for (const f of descriptor.fields) dropCovered(rest, f.key, f.editor.kind);
  return prune(rest) as Record<string, unknown> | undefined;
}

/**
 * The JSON box's value under the controls' values: objects key by key, a list of steps item by
 * item (the controls' length wins), other lists one after the other, an anchor picked in the
 * form with conditions in the box as `{event, where}`.
 */
export function mergeMore(more: unknown, controls: unknown): unknown {
  if (controls === undefined) return more;
  if (more === undefined) return controls;
  if (Array.isArray(more) && Array.isArray(controls))
    return controls.every(isObject)
      ? controls.map((c, i) => mergeMore(more[i], c))
      : [...controls, ...more];
  if (isObject(more) && isObject(controls)) {
    const keys = new Set([...Object.keys(more), ...Object.keys(controls)]);
    return Object.fromEntries([...keys].map((k) => [k, mergeMore(more[k], controls[k])]));
  }
  if (isObject(more) && typeof controls === 'string') return { event: controls, ...more };
  return controls;
}
