// The reference merge: what the spec says one linked pair must look like after a sync that handled it.
// It works from what users did, not from the engine's bookkeeping: a Salesforce value counts as an edit
// only when a Salesforce user made it — a value the sync itself wrote but never confirmed locally (a crash
// or an aborted run between the Salesforce write and the PRM commit) is not a competing edit, so a later
// PRM edit must still win over it. Pure; no I/O.
import { computedFromMerged, fieldsOf, type EntityKind, type Value, type Values } from './fields.ts';

export type Side = 'prm' | 'salesforce';
export type Policy = { kind: 'master_system'; master: Side } | { kind: 'last_modified_wins'; master: Side };

export interface PairInput {
  kind: EntityKind;
  /** The values both sides last agreed on; a missing key means the field was never synced (first sync). */
  base: Readonly<Record<string, Value>>;
  prm: Values;
  sf: Values;
  /** Fields a Salesforce user changed since the last agreement. */
  sfUserEdited: ReadonlySet<string>;
  /** The Salesforce record was made by a Salesforce user (not created by the sync from the PRM record). */
  sfByUser: boolean;
  policy: Policy;
  /** Record-level modification times as each system reports them (for last-modified-wins). */
  prmModifiedAt: number | null;
  sfModifiedAt: number | null;
  /** The PRM row (for computed fields such as the contact's entity type). */
  prmRow: Record<string, unknown>;
}

export interface FieldOutcome {
  value: Value;
  rule: string;
}

const same = (a: Value | undefined, b: Value | undefined) => (a ?? null) === (b ?? null);

export function conflictWinner(input: Pick<PairInput, 'policy' | 'prmModifiedAt' | 'sfModifiedAt'>): { winner: Side; rule: string } {
  const { policy, prmModifiedAt, sfModifiedAt } = input;
  if (policy.kind === 'last_modified_wins' && prmModifiedAt !== null && sfModifiedAt !== null && prmModifiedAt !== sfModifiedAt) {
    return { winner: prmModifiedAt > sfModifiedAt ? 'prm' : 'salesforce', rule: 'both changed: later modification wins' };
  }
  return { winner: policy.master, rule: `both changed: master system (${policy.master}) wins` };
}

export function mergeField(key: string, input: PairInput): FieldOutcome {
  const prm = input.prm[key] ?? null;
  const sf = input.sf[key] ?? null;
  if (same(prm, sf)) return { value: prm, rule: 'already equal' };
  if (!(key in input.base)) {
    // Never agreed, but Salesforce holds only what the sync itself wrote there (a creation it did not get
    // to confirm): nothing competes with the PRM value.
    if (!input.sfByUser && !input.sfUserEdited.has(key)) return { value: prm, rule: 'first sync: Salesforce holds only what the sync wrote' };
    // First sync (wizard rule): the non-empty side wins; both non-empty → the master system.
    if (prm === null) return { value: sf, rule: 'first sync: only Salesforce has a value' };
    if (sf === null) return { value: prm, rule: 'first sync: only the PRM has a value' };
    return { value: input.policy.master === 'prm' ? prm : sf, rule: `first sync: master system (${input.policy.master}) wins` };
  }
  const base = input.base[key] ?? null;
  const prmChanged = !same(prm, base);
  const sfChanged = input.sfUserEdited.has(key) && !same(sf, base);
  if (prmChanged && !sfChanged) return { value: prm, rule: 'only the PRM changed' };
  if (sfChanged && !prmChanged) return { value: sf, rule: 'only Salesforce changed' };
  if (!prmChanged && !sfChanged) return { value: prm, rule: 'no user edit on Salesforce: the PRM value stands' };
  const { winner, rule } = conflictWinner(input);
  return { value: winner === 'prm' ? prm : sf, rule };
}

/** Every mapped field's expected value after a sync that handled the pair, with the rule that decided it. */
export function mergePair(input: PairInput): Record<string, FieldOutcome> {
  const out: Record<string, FieldOutcome> = {};
  const merged: Values = {};
  for (const field of fieldsOf(input.kind)) {
    if (field.flow !== 'both') continue;
    const outcome = mergeField(field.key, input);
    out[field.key] = outcome;
    merged[field.key] = outcome.value;
  }
  for (const [key, value] of Object.entries(computedFromMerged(input.kind, merged, input.prmRow))) {
    out[key] = { value, rule: 'computed from the merged PRM record' };
  }
  return out;
}

/** A pair that exists on one side only: the sync creates the other side with the same values. */
export function creationOutcome(kind: EntityKind, origin: Values, prmRowAfter: Record<string, unknown>): Record<string, FieldOutcome> {
  const out: Record<string, FieldOutcome> = {};
  const merged: Values = {};
  for (const field of fieldsOf(kind)) {
    if (field.flow !== 'both') continue;
    out[field.key] = { value: origin[field.key] ?? null, rule: 'created from the other side' };
    merged[field.key] = origin[field.key] ?? null;
  }
  for (const [key, value] of Object.entries(computedFromMerged(kind, merged, prmRowAfter))) out[key] = { value, rule: 'computed from the new PRM record' };
  return out;
}
