import { BigqueryEngine } from '../../engines/bigquery/BigqueryEngine.js';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import type { Engine } from '../../engines/engine.js';
import { assertDataset, assertProject } from '../../engines/bigquery/identifiers.js';
import { InputError } from '../../errors/errors.js';
import type { PredictResult } from './runPredict.js';
import { savePredictionsBigquery } from './savePredictionsBigquery.js';
import {
  READ_ONLY_FILE,
  checkDuckdbTable,
  savePredictionsDuckdb,
} from './savePredictionsDuckdb.js';

/** Where a run's predictions were written and how many rows. */
export interface SavedPredictions {
  readonly engine: Engine['kind'];
  readonly table: string;
  readonly rows: number;
}

const BQ_TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;

/**
 * Checks `table` names a table the engine can hold, before anything runs: on BigQuery
 * `project.dataset.table`, in DuckDB a plain name in a file opened for writing.
 */
export function checkPredictionsTable(engine: Engine, table: string): void {
  if (engine instanceof BigqueryEngine) {
    const [project = '', dataset = '', name = '', ...rest] = table.split('.');
    if (rest.length > 0 || !BQ_TABLE.test(name)) {
      throw new InputError(
        `table: ${JSON.stringify(table)} is not a BigQuery table as project.dataset.table`,
        'table',
      );
    }
    assertProject(project, 'table');
    assertDataset(dataset, 'table');
  } else if (engine instanceof DuckdbEngine) {
    checkDuckdbTable(engine, table);
  } else if (engine.kind === 'duckdb') {
    // The service's reader of the events file (reopened around imports) is never a writer.
    throw new InputError(READ_ONLY_FILE, 'table');
  } else {
    throw new InputError(
      `table: predictions cannot be written on the ${engine.kind} engine`,
      'table',
    );
  }
}

/**
 * Writes the predictions where the events are read from: on BigQuery the `project.dataset.table`
 * named (for ads audiences), in the DuckDB file a table of that name; created or replaced.
 */
export async function savePredictions(
  engine: Engine,
  result: PredictResult,
  table: string,
  now: Date = new Date(),
): Promise<SavedPredictions> {
  checkPredictionsTable(engine, table);
  if (engine instanceof BigqueryEngine) {
    const saved = await savePredictionsBigquery(engine, result, table, now);
    return { engine: 'bigquery', table, rows: saved.rows };
  }
  const saved = await savePredictionsDuckdb(engine as DuckdbEngine, result, table, now);
  return { engine: 'duckdb', table, rows: saved.rows };
}
