import type { Row } from '../../engines/normalize.js';
import type { PathRow } from './pathTable.js';

export interface PathTableRows {
  paths: PathRow[];
  /** Every conversion of the goal in the range (consent-mode ones included) and its value. */
  total: { conversions: number; revenue: number };
  /** Conversions without user_pseudo_id (consent mode): counted, but they have no path. */
  withoutUser: { conversions: number; revenue: number };
}

/** Decodes the rows of `sql/attribution_paths.sql`: touch ids to touchpoints, ages to numbers. */
export function pathTableFromRows(rows: readonly Row[]): PathTableRows {
  const names = new Map<string, string>();
  for (const r of rows) if (r.row_type === 'touch') names.set(String(r.path), String(r.touch));
  const single = (type: string) => {
    const r = rows.find((x) => x.row_type === type);
    return { conversions: Number(r?.conversions ?? 0), revenue: Number(r?.revenue ?? 0) };
  };
  const paths = rows
    .filter((r) => r.row_type === 'path')
    .map((r): PathRow => {
      const ids = String(r.path).split(',');
      const ages = r.ages === null || r.ages === undefined ? [] : String(r.ages).split(',');
      return {
        touches: ids.map((id, i) => {
          const channel = names.get(id);
          if (channel === undefined) throw new Error(`attribution_paths: unknown touch id ${id}`);
          return { channel, secondsBeforeEnd: ages[i] === undefined ? 0 : Number(ages[i]) };
        }),
        conversions: Number(r.conversions),
        nonConversions: Number(r.non_conversions),
        revenue: Number(r.revenue),
      };
    });
  return { paths, total: single('total'), withoutUser: single('without_user') };
}
