/**
 * Imports offline-event files into a DuckDB file, then prints `imported`; the parent kills it
 * with SIGKILL while the rows are being written. Arguments: the DuckDB file, then the CSV files.
 */
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';

const [db, ...files] = process.argv.slice(2);
const result = await importOfflineEvents(db as string, files);
process.stdout.write(`imported ${JSON.stringify(result)}\n`);
