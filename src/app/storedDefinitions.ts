import type { Goal } from '../analyses/goals/goal.js';
import type { Persona } from '../analyses/personas/personaSpec.js';
import { loadReportDefinition, loadSavedGoals } from '../reports/savedDefinitions.js';
import type { ReportDefinition } from '../reports/reportDefinition.js';
import { DefinitionsRepo } from '../store/definitionsRepo.js';
import { PersonasRepo } from '../store/personasRepo.js';
import type { Queryable } from '../store/storeDb.js';

/** A report definition saved in the store (from the editor or synced from files), checked. */
export const storedReportDefinition = (
  store: Queryable,
  id: string,
): Promise<ReportDefinition | undefined> =>
  loadReportDefinition(new DefinitionsRepo<Record<string, unknown>>(store, 'reports'), id);

/** The goals saved in the store, by name. */
export const storedGoals = (store: Queryable): Promise<Map<string, Goal>> =>
  loadSavedGoals(new DefinitionsRepo<Goal>(store, 'goals'));

/** The personas saved in the store, by name: the ones a report's sections and map may name. */
export const storedPersonas = (store: Queryable): Promise<Map<string, Persona>> =>
  new PersonasRepo(store).byName();
