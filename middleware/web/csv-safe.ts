// CSV cells that spreadsheets will not run as formulas (CSV/formula injection): a cell starting with
// = + - @, a tab or a carriage return gets a leading single quote, as OWASP recommends. Pure.

const FORMULA_START = /^[=+\-@\t\r]/;

export function formulaSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}
