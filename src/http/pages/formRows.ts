/**
 * The row numbers a list of the form holds under `prefix` (`prefix.K.…`), in order. Rows keep
 * the number they were drawn with, so a row the page's script removed leaves a gap, not a shift.
 */
export function formRows(body: Record<string, unknown>, prefix: string): number[] {
  const start = `${prefix}.`;
  return [
    ...new Set(
      Object.keys(body)
        .map((k) =>
          k.startsWith(start) ? /^(\d{1,2})\./.exec(k.slice(start.length))?.[1] : undefined,
        )
        .filter((i): i is string => i !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
}
