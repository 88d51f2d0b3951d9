import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BigqueryEngine, BigqueryTableField } from '../../engines/bigquery/BigqueryEngine.js';
import { InputError } from '../../errors/errors.js';
import {
  PREDICTION_COLUMNS,
  predictionRows,
  predictionTableDescription,
  predictionTableLabels,
} from './predictionTable.js';
import type { PredictResult } from './runPredict.js';

const BQ_TYPES = { STRING: 'STRING', FLOAT64: 'FLOAT', INT64: 'INTEGER', TIMESTAMP: 'TIMESTAMP' };

/** The predictions table's schema as a load job takes it, each column described. */
export const PREDICTION_TABLE_FIELDS: readonly BigqueryTableField[] = PREDICTION_COLUMNS.map(
  (c) => ({ name: c.name, type: BQ_TYPES[c.type], mode: 'NULLABLE', description: c.description }),
);

/** What marks a table as one Pathlight's predictions wrote, so no other table is replaced. */
const isPredictions = (labels: Readonly<Record<string, string>>) =>
  labels.app === 'pathlight' && labels.content === 'predictions';

/**
 * Creates or replaces `table` (`project.dataset.table`) with one row per user in one load job,
 * the table described and labelled with the goal, model and data range. A table that exists and
 * was not written by Pathlight's predictions is refused before anything is sent.
 */
export async function savePredictionsBigquery(
  engine: BigqueryEngine,
  result: PredictResult,
  table: string,
  now: Date,
): Promise<{ rows: number }> {
  const existing = await engine.tableProperties(table);
  if (existing && !isPredictions(existing.labels)) {
    throw new InputError(
      `table: ${table} exists and holds something other than Pathlight's predictions (no labels app=pathlight, content=predictions); name a new table or one predictions wrote`,
      'table',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-predictions-'));
  try {
    const file = join(dir, 'predictions.ndjson');
    writeFileSync(
      file,
      predictionRows(result, now)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    return await engine.replaceTableNdjson(table, file, PREDICTION_TABLE_FIELDS, {
      description: predictionTableDescription(result, now),
      labels: predictionTableLabels(result),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
