/** Number formatting in the report's locale, done in the context builders so templates stay logic-free. */
export interface Formatter {
  integer(x: number): string;
  percent(x: number, digits?: number): string;
  money(x: number): string;
  change(
    current: number,
    previous: number | null,
  ): { text: string; direction: 'up' | 'down' | 'flat' | 'none' };
  date(date: string): string;
  range(start: string, end: string): string;
}

export function formatter(locale: string, currency: string): Formatter {
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const day = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  const percent = (x: number, digits = 1) =>
    new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(x);
  return {
    integer: (x) => int.format(x),
    percent,
    money: (x) => money.format(x),
    change(current, previous) {
      if (previous === null) return { text: '', direction: 'none' };
      if (previous === 0)
        return { text: current === 0 ? '±0%' : 'new', direction: current === 0 ? 'flat' : 'up' };
      const change = (current - previous) / previous;
      const text = `${change > 0 ? '+' : ''}${percent(change)}`;
      return { text, direction: Math.abs(change) < 0.0005 ? 'flat' : change > 0 ? 'up' : 'down' };
    },
    date: (date) => day.format(new Date(`${date}T00:00:00Z`)),
    range: (start, end) =>
      start === end
        ? day.format(new Date(`${start}T00:00:00Z`))
        : day.formatRange(new Date(`${start}T00:00:00Z`), new Date(`${end}T00:00:00Z`)),
  };
}
