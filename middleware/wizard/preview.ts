// The Review step: what linking two records will do, field by field — the PRM value, the Salesforce value,
// the merged value and the rule that decided — from the sync's own merge with an empty snapshot (every
// field is a first sync: the non-empty side wins, both non-empty → the master system). Pure.
import { sfValues, prmValues, type ConversionProblem } from '../sync/fields.ts';
import { merge, sameValue, type MergeValue } from '../sync/merge.ts';
import type { ObjectPlan } from '../sync/plan.ts';
import type { MasterSystem } from '../sync/strategy.ts';

export interface FieldPreview {
  key: string;
  label: string;
  sfField: string;
  /** Values as each system shows them: picklists with a value map show the Salesforce value on its side. */
  prm: MergeValue;
  sf: MergeValue;
  merged: MergeValue;
  /** Plain words for the rule that decided. */
  rule: string;
  ruleKind: 'agree' | 'empty' | 'non_empty_wins' | 'master_system' | 'direction' | 'unmapped';
  changesPrm: boolean;
  changesSalesforce: boolean;
}

export interface LinkPreview {
  fields: FieldPreview[];
  changesPrm: number;
  changesSalesforce: number;
}

const SIDE: Record<MasterSystem, string> = { prm: 'PRM', salesforce: 'Salesforce' };

const LABELS: Record<string, string> = {
  partner_status: 'Partner kind and status',
  entity_type: 'PRM entity type',
  billing_postal_code: 'Billing postal code',
};

export function fieldLabel(key: string): string {
  const label = LABELS[key] ?? key.replace(/^custom\./, '').replace(/_/g, ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** `partner:active` → `partner · active`: the canonical form of a computed PRM value, readable. */
function humanizeCanonical(value: MergeValue): MergeValue {
  return typeof value === 'string' ? value.replace(/:/g, ' · ') : value;
}

/** `prmRow`: the PRM row; `sfRecord`: the Salesforce record's raw field values. */
export function previewLink(objectPlan: ObjectPlan, prmRow: Record<string, unknown>, sfRecord: Record<string, unknown>): LinkPreview {
  const problems: ConversionProblem[] = [];
  const sf = sfValues(objectPlan.fields, sfRecord, problems);
  const blocked = new Set(problems.map((problem) => problem.key));
  const fields = objectPlan.fields.filter((field) => !blocked.has(field.key));
  const prm = prmValues(objectPlan.fields, prmRow);
  const result = merge({ snapshot: {}, prm, sf, fields, objectDirection: objectPlan.direction, policy: objectPlan.policy });
  const previews = objectPlan.fields.map((field): FieldPreview => {
    const base = { key: field.key, label: fieldLabel(field.key), sfField: field.sfField, prm: prm[field.key] ?? null };
    if (blocked.has(field.key)) {
      const raw = sfRecord[field.sfField];
      return { ...base, sf: raw === undefined || raw === null ? null : String(raw), merged: null, rule: 'Salesforce value has no mapping in the picklist value map: left as it is', ruleKind: 'unmapped', changesPrm: false, changesSalesforce: false };
    }
    const sfValue = sf[field.key] ?? null;
    const changesPrm = field.key in result.toPrm;
    const changesSalesforce = field.key in result.toSalesforce;
    const decision = result.decisions.find((entry) => entry.key === field.key);
    const conflict = result.conflicts.find((entry) => entry.key === field.key);
    const merged: MergeValue = changesPrm ? (result.toPrm[field.key] ?? null) : changesSalesforce ? (result.toSalesforce[field.key] ?? null) : (result.snapshot[field.key] ?? (sameValue(base.prm, sfValue) ? base.prm : null));
    let rule: string;
    let ruleKind: FieldPreview['ruleKind'];
    if (conflict?.blockedByDirection && !decision) {
      rule = `Both have values; the field's direction keeps each side's own`;
      ruleKind = 'direction';
    } else if (!decision) {
      const agree = sameValue(base.prm, sfValue);
      rule = agree && base.prm !== null ? 'Same on both sides' : agree ? 'Empty on both sides' : `The field's direction lets no value flow`;
      ruleKind = agree && base.prm !== null ? 'agree' : agree ? 'empty' : 'direction';
    } else if (decision.rule === 'both_changed_equal') {
      rule = 'Same on both sides';
      ruleKind = 'agree';
    } else if (decision.rule === 'non_empty_wins' && base.prm !== null && sfValue !== null) {
      // Both have values, but the field may only flow one way: the side it flows from wins.
      rule = `Both have values; the field only flows from ${SIDE[decision.winner as MasterSystem]}, so its value is kept`;
      ruleKind = 'direction';
    } else if (decision.rule === 'non_empty_wins') {
      rule = `Non-empty wins: only ${SIDE[decision.winner as MasterSystem]} has a value`;
      ruleKind = 'non_empty_wins';
    } else {
      rule = `Both have values: the master system (${SIDE[decision.winner as MasterSystem]}) wins`;
      ruleKind = 'master_system';
    }
    if (field.valueMap) {
      const sfLabel = (value: MergeValue) => field.valueMap?.find((entry) => entry.prm === value)?.sf ?? null;
      const rawSf = sfRecord[field.sfField];
      return {
        ...base,
        prm: humanizeCanonical(base.prm),
        sf: rawSf === undefined || rawSf === null || rawSf === '' ? null : String(rawSf),
        merged: merged === null ? null : `${humanizeCanonical(merged)}${sfLabel(merged) ? ` (${sfLabel(merged)})` : ''}`,
        rule,
        ruleKind,
        changesPrm,
        changesSalesforce,
      };
    }
    return { ...base, sf: sfValue, merged, rule, ruleKind, changesPrm, changesSalesforce };
  });
  return { fields: previews, changesPrm: previews.filter((f) => f.changesPrm).length, changesSalesforce: previews.filter((f) => f.changesSalesforce).length };
}
