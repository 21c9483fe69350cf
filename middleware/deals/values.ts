// Turns the Salesforce value of one mapped Opportunity field into the PRM deal value: the picklist value
// map first (case-sensitive, as everywhere in the settings), then the deal column's own rules. Pure.
import { withoutNul } from '../db/text.ts';
import type { DealField, DealFieldMapping } from './plan.ts';

export type DealScalar = string | number | boolean | null;

export type ConvertedValue =
  | { ok: true; value: DealScalar }
  | { ok: false; reason: 'unmapped'; raw: string }
  | { ok: false; reason: 'invalid'; raw: string; problem: string };

/** Longest text each deal column holds (deal_registrations). */
const MAX_LENGTH: Partial<Record<DealField, number>> = { name: 255, stage: 100 };
/** numeric(18,2) holds up to 16 digits before the decimal point. */
const MAX_AMOUNT = 1e16;

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

export function convertMappedValue(mapping: DealFieldMapping, value: unknown): ConvertedValue {
  // PostgreSQL cannot store NUL characters: one in an opportunity's name would fail its whole page.
  const raw = typeof value === 'string' ? withoutNul(value) : value;
  if (isBlank(raw)) return { ok: true, value: null };
  let mapped: unknown = raw;
  if (mapping.valueMap && mapping.valueMap.length > 0) {
    const entry = mapping.valueMap.find((candidate) => candidate.sf === String(raw));
    if (!entry) return { ok: false, reason: 'unmapped', raw: String(raw) };
    mapped = entry.prm;
  }
  return convertForField(mapping.prmField, mapped, String(raw));
}

function convertForField(field: DealField, value: unknown, raw: string): ConvertedValue {
  const invalid = (problem: string): ConvertedValue => ({ ok: false, reason: 'invalid', raw, problem });
  switch (field) {
    case 'name':
    case 'stage': {
      if (typeof value !== 'string') return invalid('it is not text');
      const text = value.trim();
      const max = MAX_LENGTH[field] ?? Infinity;
      return text.length > max ? invalid(`it is longer than the ${max} characters the deal's ${field} holds`) : { ok: true, value: text };
    }
    case 'amount': {
      const amount = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isFinite(amount)) return invalid('it is not a number');
      if (Math.abs(amount) >= MAX_AMOUNT) return invalid('it is larger than a deal amount can be');
      return { ok: true, value: amount.toFixed(2) };
    }
    case 'close_date': {
      if (typeof value !== 'string' || !isCalendarDate(value.trim())) return invalid('it is not a date (YYYY-MM-DD)');
      return { ok: true, value: value.trim() };
    }
    default: {
      // custom.<key>: any scalar Salesforce returns (text, number, checkbox, date as text).
      if (typeof value === 'string') return { ok: true, value: value.trim() };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value };
      return invalid('it is not a single value');
    }
  }
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
