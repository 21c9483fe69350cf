// "New Field" on the mappings page: the form checked and turned into the Tooling API's CustomField
// definition. Names follow Salesforce's rules (a letter first, letters/digits/single underscores, no
// trailing underscore, at most 40 characters with the __c suffix). Pure.
import type { NewCustomField } from './salesforce-access.ts';

export const NEW_FIELD_TYPES = ['Text', 'Number', 'Checkbox', 'Date', 'DateTime', 'Email', 'Phone', 'Url', 'Picklist', 'TextArea'] as const;

export function newFieldFromForm(object: NewCustomField['object'], form: Record<string, string | undefined>): { field: NewCustomField } | { problem: string } {
  const label = (form.label ?? '').trim();
  const name = (form.name ?? '').trim().replace(/__c$/i, '');
  const type = form.type as NewCustomField['type'];
  if (label === '' || label.length > 40) return { problem: 'the label must be 1 to 40 characters long.' };
  if (!/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/.test(name) || name.endsWith('_') || name.length > 37) {
    return { problem: `"${name}" is not a valid API name: start with a letter, then letters, digits and single underscores, no trailing underscore, at most 37 characters (before __c).` };
  }
  if (!(NEW_FIELD_TYPES as readonly string[]).includes(type)) return { problem: `type must be one of ${NEW_FIELD_TYPES.join(', ')}.` };
  const field: NewCustomField = { object, name, label, type };
  if (type === 'Text') {
    const length = Number(form.length || '255');
    if (!Number.isInteger(length) || length < 1 || length > 255) return { problem: 'a Text field needs a length from 1 to 255.' };
    field.length = length;
  }
  if (type === 'Picklist') {
    const values = [...new Set((form.values ?? '').split(/\r?\n/).map((value) => value.trim()).filter(Boolean))];
    if (values.length === 0) return { problem: 'a Picklist needs at least one value (one per line).' };
    if (values.length > 1000 || values.some((value) => value.length > 255)) return { problem: 'a Picklist takes at most 1,000 values of at most 255 characters.' };
    field.picklistValues = values;
  }
  return { field };
}
