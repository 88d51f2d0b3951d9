import type { z } from 'zod';
import { InputError, formatIssuePath } from './errors.js';

/**
 * A union's issues as the issues of its branch that got past its own type (an object whose field
 * is wrong), so `start.where[0].op` is named rather than `start: Invalid input`.
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const branch = issue.errors.find((b) => b.some((i) => i.path.length > 0));
  if (!branch) return [issue];
  return branch.flatMap((i) => unionBranch({ ...i, path: [...issue.path, ...i.path] }));
}

/** Zod's first issues as one InputError naming each bad field's path. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(unionBranch).slice(0, 5);
  const first = issues[0];
  const at = (path: readonly PropertyKey[]) => {
    const p = formatIssuePath(path);
    return prefix && p ? `${prefix}.${p}` : prefix || p;
  };
  const message = issues.map((i) => `${at(i.path) || '(spec)'}: ${i.message}`).join('; ');
  throw new InputError(message, at(first?.path ?? []));
}
