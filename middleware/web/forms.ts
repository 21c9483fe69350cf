// Schemas and small conversions for HTML forms: every form posts `_csrf`, checkboxes arrive as "on" or
// not at all, and every value is text.
import { Type, type TProperties } from 'typebox';

export const CsrfField = Type.String({ minLength: 1, maxLength: 200 });

/** A form body: the given fields plus the CSRF token, nothing else. */
export function formBody<P extends TProperties>(properties: P) {
  return Type.Object({ _csrf: CsrfField, ...properties }, { additionalProperties: false });
}

export const Checkbox = Type.Optional(Type.String({ maxLength: 10 }));
export const checked = (value: string | undefined) => value === 'on' || value === 'true' || value === '1';

/** A text input: at most `max` characters. */
export const Text = (max: number) => Type.String({ maxLength: max });
export const OptionalText = (max: number) => Type.Optional(Type.String({ maxLength: max }));

export const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
export const UuidParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Only local paths: a `next` parameter must never send the admin to another site after login. */
export function safeLocalPath(value: string | undefined, fallback = '/sync'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\r\n]/.test(value)) return fallback;
  return value;
}

export const NoQuery = Type.Object({}, { additionalProperties: false });
