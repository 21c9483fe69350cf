// Salesforce's date/time wire formats and the org clock that keeps SystemModstamp strictly increasing.

const DAY_MS = 86_400_000;

/** `2026-11-22T10:00:00.000+0000`, the form Salesforce returns for datetime fields. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `2026-11-22` for a day number or an epoch ms at UTC midnight. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO 8601 date-time (or date) as Salesforce accepts it; no zone means UTC. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let value = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (!validCalendarDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    value -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return value;
}

/** Parses `YYYY-MM-DD` into epoch ms at UTC midnight. */
export function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validCalendarDate(y, mo, d)) return undefined;
  return Date.UTC(y, mo - 1, d);
}

function validCalendarDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export { DAY_MS };

/**
 * The org's write clock: every stamp is the wall clock, or 1 ms after the previous stamp when writes come
 * faster than that, so `SystemModstamp` is unique and strictly increasing across the org.
 */
export class ModstampClock {
  private last = 0;

  constructor(readonly now: () => number = Date.now) {}

  next(): number {
    this.last = Math.max(this.now(), this.last + 1);
    return this.last;
  }

  /** Records a stamp given out elsewhere (seed data) so later stamps stay after it. */
  observe(stamp: number): void {
    if (stamp > this.last) this.last = stamp;
  }

  get latest(): number {
    return this.last;
  }
}
