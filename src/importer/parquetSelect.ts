import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { ImportError } from '../errors/errors.js';
import { EVENTS_SCHEMA, type Field, type ScalarType } from '../schema/ga4Schema.js';
import { duckdbType, quoteIdent } from '../schema/duckdbTypes.js';

/**
 * The SELECT list that turns one Parquet file, as `bq extract` wrote it, into the canonical
 * `events_*` columns. BigQuery's Parquet differs from the schema by file: columns added after the
 * export was written are absent, all-NULL columns come out as INT64, records keep the export's
 * field order. Every canonical column is therefore built by NAME from the file's own types
 * (from its DESCRIBE): struct_pack for records, list_transform for repeated fields, CAST for
 * scalars, NULL (or [] for repeated fields) for what the file lacks. A field of a type that cannot
 * become the canonical one, or a field the schema does not know, stops the import with its path;
 * a cast that can fail on a value (text to a number) fails with the row and field.
 */

export interface SourceColumn {
  readonly name: string;
  readonly type: DuckDBType;
}

/** DuckDB's own column for the row's position in the file; named in runtime errors. */
export const ROW_NUMBER_COLUMN = 'file_row_number';

const SAFE_INTS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
]);
const WIDE_INTS = new Set<DuckDBTypeId>([
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);
const FLOATS = new Set<DuckDBTypeId>([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE]);

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** An empty value of the field's canonical type: NULL, or [] for a repeated field. */
function emptyValue(field: Field): string {
  return field.mode === 'REPEATED'
    ? `CAST([] AS ${duckdbType(field)})`
    : `CAST(NULL AS ${duckdbType(field)})`;
}

class Builder {
  constructor(private readonly file: string) {}

  private cannot(shown: string, source: DuckDBType, target: string): never {
    throw new ImportError(
      `${this.file}: ${shown}: the file's type ${source.toString()} cannot become ${target}`,
      shown,
    );
  }

  /** One field, REPEATED or not; `path` is SQL text pieces naming it in runtime errors. */
  field(
    field: Field,
    source: DuckDBType,
    expr: string,
    path: string[],
    shown: string,
    depth: number,
  ): string {
    if (source.typeId === DuckDBTypeId.SQLNULL) return emptyValue(field);
    if (field.mode !== 'REPEATED') return this.single(field, source, expr, path, shown, depth);
    if (source.typeId !== DuckDBTypeId.LIST && source.typeId !== DuckDBTypeId.ARRAY) {
      return this.cannot(shown, source, duckdbType(field));
    }
    const x = `x${depth}`;
    const i = `i${depth}`;
    const element = this.single(
      field,
      source.valueType,
      x,
      [...path, `'['`, `CAST(${i} - 1 AS VARCHAR)`, `']'`],
      `${shown}[]`,
      depth + 1,
    );
    return `COALESCE(list_transform(${expr}, lambda ${x}, ${i}: ${element}), ${emptyValue(field)})`;
  }

  private single(
    field: Field,
    source: DuckDBType,
    expr: string,
    path: string[],
    shown: string,
    depth: number,
  ): string {
    if (source.typeId === DuckDBTypeId.SQLNULL) return `CAST(NULL AS ${singleType(field)})`;
    if (field.type !== 'STRUCT') return this.scalar(field.type, source, expr, path, shown);
    if (source.typeId !== DuckDBTypeId.STRUCT) return this.cannot(shown, source, singleType(field));
    const known = new Set(field.fields.map((f) => f.name));
    const unknown = source.entryNames.find((name) => !known.has(name));
    if (unknown !== undefined) {
      throw new ImportError(
        `${this.file}: ${shown}.${unknown}: unknown field (not in the GA4 events schema)`,
        `${shown}.${unknown}`,
      );
    }
    const entries = field.fields.map((child) => {
      const index = source.entryNames.indexOf(child.name);
      const value =
        index < 0
          ? emptyValue(child)
          : this.field(
              child,
              source.entryTypes[index] as DuckDBType,
              `struct_extract(${expr}, ${literal(child.name)})`,
              [...path, literal(`.${child.name}`)],
              `${shown}.${child.name}`,
              depth,
            );
      return `${quoteIdent(child.name)} := ${value}`;
    });
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${entries.join(', ')}) END`;
  }

  private scalar(
    target: ScalarType,
    source: DuckDBType,
    expr: string,
    path: string[],
    shown: string,
  ): string {
    const id = source.typeId;
    const sqlType = duckdbType({ name: '', type: target, mode: 'NULLABLE' });
    const cast = `CAST(${expr} AS ${sqlType})`;
    const tryCast = `TRY_CAST(${expr} AS ${sqlType})`;
    /** A cast that can fail on a value: NULL stays NULL, a failure names row and field. */
    const guarded = (bad: string): string =>
      `CASE WHEN ${expr} IS NULL THEN NULL WHEN ${bad} THEN error(concat('row ', ${ROW_NUMBER_COLUMN} + 1, ': ', ${path.join(', ')}, ': expected ${target}, got ', to_json(${expr}))) ELSE ${cast} END`;
    const isDecimal = id === DuckDBTypeId.DECIMAL;
    switch (target) {
      case 'STRING':
        if (id === DuckDBTypeId.VARCHAR) return expr;
        if (
          SAFE_INTS.has(id) ||
          WIDE_INTS.has(id) ||
          FLOATS.has(id) ||
          isDecimal ||
          id === DuckDBTypeId.BOOLEAN ||
          id === DuckDBTypeId.ENUM
        ) {
          return cast;
        }
        break;
      case 'INT64':
        if (id === DuckDBTypeId.BIGINT) return expr;
        if (SAFE_INTS.has(id)) return cast;
        if (WIDE_INTS.has(id)) return guarded(`${tryCast} IS NULL`);
        if (isDecimal && source.scale === 0) return guarded(`${tryCast} IS NULL`);
        if (id === DuckDBTypeId.VARCHAR) {
          return guarded(`NOT regexp_full_match(${expr}, '-?[0-9]+') OR ${tryCast} IS NULL`);
        }
        break;
      case 'FLOAT64':
        if (id === DuckDBTypeId.DOUBLE) return expr;
        if (FLOATS.has(id) || SAFE_INTS.has(id) || WIDE_INTS.has(id) || isDecimal) return cast;
        if (id === DuckDBTypeId.VARCHAR) return guarded(`${tryCast} IS NULL`);
        break;
      case 'BOOL':
        if (id === DuckDBTypeId.BOOLEAN) return expr;
        if (SAFE_INTS.has(id)) return cast;
        if (id === DuckDBTypeId.VARCHAR) return guarded(`${tryCast} IS NULL`);
        break;
    }
    return this.cannot(shown, source, sqlType);
  }
}

function singleType(field: Field): string {
  return duckdbType({ ...field, mode: 'NULLABLE' } as Field);
}

/** `expr AS "column"` for every canonical column, in EVENTS_SCHEMA order. */
export function parquetSelectList(file: string, columns: readonly SourceColumn[]): string {
  const known = new Set(EVENTS_SCHEMA.map((f) => f.name));
  const unknown = columns.find((c) => c.name !== ROW_NUMBER_COLUMN && !known.has(c.name));
  if (unknown) {
    throw new ImportError(
      `${file}: unknown column ${unknown.name} (not in the GA4 events schema)`,
      unknown.name,
    );
  }
  const builder = new Builder(file);
  return EVENTS_SCHEMA.map((field) => {
    const source = columns.find((c) => c.name === field.name);
    const value = source
      ? builder.field(
          field,
          source.type,
          quoteIdent(field.name),
          [literal(field.name)],
          field.name,
          1,
        )
      : emptyValue(field);
    return `${value} AS ${quoteIdent(field.name)}`;
  }).join(',\n  ');
}
