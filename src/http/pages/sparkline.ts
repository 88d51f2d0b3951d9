/** A small inline SVG line of daily counts; the values are numbers, nothing user-typed. */
export function sparkline(values: readonly number[], width = 120, height = 24): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 1);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`)
    .join(' ');
  const total = values.reduce((a, b) => a + b, 0);
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${values.length} days, ${total} in total"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points}"/></svg>`;
}
