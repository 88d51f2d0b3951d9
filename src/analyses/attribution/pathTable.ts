/** One touch of a path: its channel and its age in seconds before the conversion (or path end). */
export interface PathTouch {
  channel: string;
  secondsBeforeEnd: number;
}
/**
 * One row of the aggregated path table. Rows with identical touches (channels and ages to the
 * second) are aggregated; time decay is exact because each row keeps its own touch ages.
 */
export interface PathRow {
  touches: PathTouch[];
  conversions: number;
  nonConversions: number;
  revenue: number;
}
/** Credited conversions and revenue per channel. */
export interface Credit {
  conversions: Map<string, number>;
  revenue: Map<string, number>;
}
