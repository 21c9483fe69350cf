// SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER …) as half-open UTC ranges [start, end).
// The emulated users' time zone is GMT and the fiscal year starts in January, so fiscal = calendar.
import { DAY_MS, startOfUtcDay } from '../core/time.ts';

export interface DateRange {
  start: number;
  end: number;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

function weekStart(dayStart: number): number {
  return dayStart - new Date(dayStart).getUTCDay() * DAY_MS; // weeks start on Sunday
}

function unitRange(unit: 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR', now: number, offset: number, count = 1): DateRange {
  const today = startOfUtcDay(now);
  const d = new Date(today);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  switch (unit) {
    case 'DAY':
      return { start: today + offset * DAY_MS, end: today + (offset + count) * DAY_MS };
    case 'WEEK': {
      const week = weekStart(today);
      return { start: week + offset * 7 * DAY_MS, end: week + (offset + count) * 7 * DAY_MS };
    }
    case 'MONTH':
      return { start: monthStart(year, month + offset), end: monthStart(year, month + offset + count) };
    case 'QUARTER': {
      const q = month - (month % 3);
      return { start: monthStart(year, q + offset * 3), end: monthStart(year, q + (offset + count) * 3) };
    }
    case 'YEAR':
      return { start: Date.UTC(year + offset, 0, 1), end: Date.UTC(year + offset + count, 0, 1) };
  }
}

const FIXED: Readonly<Record<string, [Parameters<typeof unitRange>[0], number]>> = {
  YESTERDAY: ['DAY', -1],
  TODAY: ['DAY', 0],
  TOMORROW: ['DAY', 1],
  LAST_WEEK: ['WEEK', -1],
  THIS_WEEK: ['WEEK', 0],
  NEXT_WEEK: ['WEEK', 1],
  LAST_MONTH: ['MONTH', -1],
  THIS_MONTH: ['MONTH', 0],
  NEXT_MONTH: ['MONTH', 1],
  LAST_QUARTER: ['QUARTER', -1],
  THIS_QUARTER: ['QUARTER', 0],
  NEXT_QUARTER: ['QUARTER', 1],
  LAST_YEAR: ['YEAR', -1],
  THIS_YEAR: ['YEAR', 0],
  NEXT_YEAR: ['YEAR', 1],
  LAST_FISCAL_QUARTER: ['QUARTER', -1],
  THIS_FISCAL_QUARTER: ['QUARTER', 0],
  NEXT_FISCAL_QUARTER: ['QUARTER', 1],
  LAST_FISCAL_YEAR: ['YEAR', -1],
  THIS_FISCAL_YEAR: ['YEAR', 0],
  NEXT_FISCAL_YEAR: ['YEAR', 1],
};

const N_UNITS: Readonly<Record<string, Parameters<typeof unitRange>[0]>> = {
  DAYS: 'DAY',
  WEEKS: 'WEEK',
  MONTHS: 'MONTH',
  QUARTERS: 'QUARTER',
  YEARS: 'YEAR',
  FISCAL_QUARTERS: 'QUARTER',
  FISCAL_YEARS: 'YEAR',
};

/** The range a literal such as `LAST_N_DAYS:30` covers at `now`, or undefined if it is not one. */
export function dateLiteralRange(literal: string, now: number): DateRange | undefined {
  const upper = literal.toUpperCase();
  const fixed = FIXED[upper];
  if (fixed) return unitRange(fixed[0], now, fixed[1]);
  const m = /^(LAST_N|NEXT_N|N)_([A-Z_]+?)(_AGO)?:(\d+)$/.exec(upper);
  if (!m) return undefined;
  const unit = N_UNITS[m[2] as string];
  const n = Number(m[4]);
  if (!unit) return undefined;
  if (m[1] === 'N' && m[3]) return unitRange(unit, now, -n);
  if (m[1] === 'LAST_N' && !m[3]) {
    // LAST_N_DAYS:n runs from n days ago through the end of today; other units exclude the current one.
    return unit === 'DAY' ? { start: unitRange('DAY', now, -n).start, end: unitRange('DAY', now, 0).end } : unitRange(unit, now, -n, n);
  }
  if (m[1] === 'NEXT_N' && !m[3]) return unitRange(unit, now, 1, n);
  return undefined;
}
