import { describe, expect, it } from 'vitest';
import { comparisonRange, resolveRelativeRange } from '../../src/reports/relativeDateRange.js';

// Expected dates worked out by hand from a calendar; `now` is UTC, the zone decides the local day.
describe('relative date ranges in the report zone', () => {
  // 2026-03-08 is the US spring-forward Sunday; 03:30Z is 23:30 EDT on the 8th (UTC is already the 9th).
  const springNY = new Date('2026-03-09T03:30:00Z');
  it('uses the zone’s day across spring-forward (New York)', () => {
    expect(resolveRelativeRange('yesterday', 'America/New_York', springNY)).toEqual({
      start: '2026-03-07',
      end: '2026-03-07',
    });
    expect(resolveRelativeRange('yesterday', 'UTC', springNY)).toEqual({
      start: '2026-03-08',
      end: '2026-03-08',
    });
    expect(resolveRelativeRange('last_7_days', 'America/New_York', springNY)).toEqual({
      start: '2026-03-01',
      end: '2026-03-07',
    });
    expect(resolveRelativeRange('last_28_days', 'America/New_York', springNY)).toEqual({
      start: '2026-02-08',
      end: '2026-03-07',
    });
    // Local Sunday 8 March: the last full Monday-Sunday week is 23 Feb - 1 Mar.
    expect(resolveRelativeRange('last_week', 'America/New_York', springNY)).toEqual({
      start: '2026-02-23',
      end: '2026-03-01',
    });
    // In UTC it is Monday 9 March: last week is 2-8 March.
    expect(resolveRelativeRange('last_week', 'UTC', springNY)).toEqual({
      start: '2026-03-02',
      end: '2026-03-08',
    });
  });

  // Berlin falls back on 2026-10-25; 23:30Z on 31 Oct is 00:30 CET on 1 November.
  const berlinNov = new Date('2026-10-31T23:30:00Z');
  it('crosses month and quarter boundaries in the zone (Berlin after fall-back)', () => {
    expect(resolveRelativeRange('month_to_date', 'Europe/Berlin', berlinNov)).toEqual({
      start: '2026-11-01',
      end: '2026-11-01',
    });
    expect(resolveRelativeRange('last_month', 'Europe/Berlin', berlinNov)).toEqual({
      start: '2026-10-01',
      end: '2026-10-31',
    });
    expect(resolveRelativeRange('last_quarter', 'Europe/Berlin', berlinNov)).toEqual({
      start: '2026-07-01',
      end: '2026-09-30',
    });
    expect(resolveRelativeRange('last_month', 'UTC', berlinNov)).toEqual({
      start: '2026-09-01',
      end: '2026-09-30',
    });
    expect(resolveRelativeRange('last_week', 'Europe/Berlin', berlinNov)).toEqual({
      start: '2026-10-19',
      end: '2026-10-25',
    });
  });

  it('a zone ahead of UTC is already in the next quarter (Auckland, NZDT +13)', () => {
    const now = new Date('2026-03-31T12:00:00Z'); // 01:00 on 1 April in Auckland
    expect(resolveRelativeRange('last_quarter', 'Pacific/Auckland', now)).toEqual({
      start: '2026-01-01',
      end: '2026-03-31',
    });
    expect(resolveRelativeRange('last_quarter', 'UTC', now)).toEqual({
      start: '2025-10-01',
      end: '2025-12-31',
    });
    expect(resolveRelativeRange('yesterday', 'Pacific/Auckland', now)).toEqual({
      start: '2026-03-31',
      end: '2026-03-31',
    });
  });

  it('January reaches back into the previous year', () => {
    const now = new Date('2026-01-15T12:00:00Z');
    expect(resolveRelativeRange('last_month', 'UTC', now)).toEqual({
      start: '2025-12-01',
      end: '2025-12-31',
    });
    expect(resolveRelativeRange('last_quarter', 'UTC', now)).toEqual({
      start: '2025-10-01',
      end: '2025-12-31',
    });
    expect(resolveRelativeRange('last_month', 'UTC', new Date('2024-03-10T00:00:00Z'))).toEqual({
      start: '2024-02-01',
      end: '2024-02-29',
    });
  });

  it('comparison periods', () => {
    expect(comparisonRange({ start: '2026-02-23', end: '2026-03-01' }, 'previous_period')).toEqual({
      start: '2026-02-16',
      end: '2026-02-22',
    });
    expect(comparisonRange({ start: '2026-03-01', end: '2026-03-31' }, 'previous_period')).toEqual({
      start: '2026-01-29',
      end: '2026-02-28',
    });
    expect(comparisonRange({ start: '2024-02-29', end: '2024-03-01' }, 'previous_year')).toEqual({
      start: '2023-02-28',
      end: '2023-03-01',
    });
    expect(comparisonRange({ start: '2026-02-23', end: '2026-03-01' }, 'none')).toBeNull();
  });
});
