// Text PostgreSQL can store. Its text, varchar and jsonb types refuse the NUL character (U+0000) with an
// error that names no column, and a lone UTF-16 surrogate cannot be encoded as UTF-8 at all (the driver
// silently writes U+FFFD instead). Inputs we answer for (API bodies, forms) are refused with a message
// naming the field; values from Salesforce, which we cannot refuse, lose their NUL characters (Salesforce
// shows nothing for them either). Pure.

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL could not store `text` exactly, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000), which the database cannot store';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text: it contains an unpaired surrogate (a broken \\uD800–\\uDFFF escape)';
  return null;
}

export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/** JSON text for a jsonb column: NUL characters in string values are dropped (jsonb refuses `\u0000`). */
export function jsonForDb(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'string' ? withoutNul(inner) : inner));
}
