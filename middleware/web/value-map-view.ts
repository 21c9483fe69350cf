// The picklist value map editor as data: one row per existing pair, one per Salesforce picklist value not
// mapped yet, and a few blank rows; choices from both sides where they are known. Pure.
import type { DescribeField } from '../settings/describe.ts';
import type { FieldMapping } from '../settings/model.ts';
import type { PrmFieldSpec } from '../settings/prm-fields.ts';

export interface ValueMapRow {
  index: number;
  sf: string;
  prm: string;
  sfChoices: Array<{ value: string; selected: boolean }> | null;
  prmChoices: Array<{ value: string; selected: boolean }> | null;
  /** The Salesforce value is not (or no longer) an active picklist value. */
  sfUnknown: boolean;
}

const BLANK_ROWS = 3;

export function valueMapView(mapping: FieldMapping, prmSpec: PrmFieldSpec | undefined, sfField: DescribeField | undefined) {
  const sfValues = (sfField?.picklistValues ?? []).filter((value) => value.active).map((value) => value.value);
  const prmValues = prmSpec?.values ? [...prmSpec.values] : null;
  const pairs = [...(mapping.valueMap ?? [])];
  for (const value of sfValues) if (!pairs.some((pair) => pair.sf === value)) pairs.push({ sf: value, prm: '' });
  for (let k = 0; k < BLANK_ROWS; k += 1) pairs.push({ sf: '', prm: '' });
  const choices = (values: string[] | null, current: string) => {
    if (!values || values.length === 0) return null;
    const list = values.map((value) => ({ value, selected: value === current }));
    if (current !== '' && !values.includes(current)) list.unshift({ value: current, selected: true });
    return list;
  };
  const rows: ValueMapRow[] = pairs.map((pair, index) => ({
    index,
    sf: pair.sf,
    prm: pair.prm,
    sfChoices: choices(sfValues, pair.sf),
    prmChoices: choices(prmValues, pair.prm),
    sfUnknown: pair.sf !== '' && sfValues.length > 0 && !sfValues.includes(pair.sf),
  }));
  return { rows, sfIsPicklist: sfValues.length > 0, prmValues, sfValues };
}
