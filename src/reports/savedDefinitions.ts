import type { Goal } from '../analyses/goals/goal.js';
import { parseReportDefinition, type ReportDefinition } from './reportDefinition.js';

/**
 * Saved definitions as the reports read them: one by key, or all. The service passes the store's
 * definitions tables; a file-based caller can pass anything with the same two methods.
 */
export interface SavedDefinitions<T> {
  get(key: string): Promise<{ readonly definition: T } | undefined>;
  list(): Promise<readonly { readonly key: string; readonly definition: T }[]>;
}

/** A saved report definition, checked against the reports schema (its key is its id). */
export async function loadReportDefinition(
  reports: SavedDefinitions<Record<string, unknown>>,
  id: string,
): Promise<ReportDefinition | undefined> {
  const stored = await reports.get(id);
  return stored && parseReportDefinition({ ...stored.definition, id });
}

/** Saved goals by name, for definitions whose goal or steps name one. */
export async function loadSavedGoals(goals: SavedDefinitions<Goal>): Promise<Map<string, Goal>> {
  return new Map((await goals.list()).map((g) => [g.key, g.definition]));
}
