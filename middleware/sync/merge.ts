// The per-field three-way merge: pure, no I/O. Values are compared in one canonical space (the PRM's):
// the mapping layer converts Salesforce values (picklist maps, types) before they get here.
import { effectiveFlow, type ConflictPolicy, type FieldDirection, type MasterSystem, type ObjectDirection } from './strategy.ts';

export type MergeValue = string | number | boolean | null;
export type MergeValues = Record<string, MergeValue | undefined>;

export interface MergeField {
  key: string;
  direction: FieldDirection;
  /** Flows only while the link has no agreed value for it yet (its first sync). */
  firstSyncOnly: boolean;
}

export interface MergeInput {
  /** What both sides agreed on after the last successful sync; a missing key means "never synced". */
  snapshot: MergeValues;
  prm: MergeValues;
  sf: MergeValues;
  fields: readonly MergeField[];
  objectDirection: ObjectDirection;
  policy: ConflictPolicy;
  /** Record-level modification times, for last-modified-wins. */
  prmModifiedAt?: Date | null;
  sfModifiedAt?: Date | null;
}

export type MergeRule =
  | 'only_prm_changed'
  | 'only_salesforce_changed'
  | 'both_changed_equal'
  | 'master_system'
  | 'last_modified'
  | 'non_empty_wins'
  | 'first_sync_master';

export interface MergeDecision {
  key: string;
  rule: MergeRule;
  winner: MasterSystem | 'both';
  value: MergeValue;
}

export interface MergeConflict {
  key: string;
  prm: MergeValue;
  sf: MergeValue;
  snapshot: MergeValue | undefined;
  winner: MasterSystem;
  rule: 'master_system' | 'last_modified' | 'first_sync_master';
  /** The winner's value could not flow to the other side (direction), so both sides keep their own. */
  blockedByDirection: boolean;
}

export interface MergeResult {
  toPrm: Record<string, MergeValue>;
  toSalesforce: Record<string, MergeValue>;
  /** The snapshot to store once the writes above succeed. */
  snapshot: Record<string, MergeValue>;
  conflicts: MergeConflict[];
  decisions: MergeDecision[];
}

/** Empty string, null and undefined are the same "no value" on both systems. */
export function normalizeMergeValue(value: MergeValue | undefined): MergeValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  return value;
}

export function sameValue(a: MergeValue | undefined, b: MergeValue | undefined): boolean {
  return normalizeMergeValue(a) === normalizeMergeValue(b);
}

export function merge(input: MergeInput): MergeResult {
  const result: MergeResult = { toPrm: {}, toSalesforce: {}, snapshot: {}, conflicts: [], decisions: [] };
  for (const field of input.fields) mergeField(field, input, result);
  return result;
}

function mergeField(field: MergeField, input: MergeInput, result: MergeResult): void {
  const { key } = field;
  const prm = normalizeMergeValue(input.prm[key]);
  const sf = normalizeMergeValue(input.sf[key]);
  const neverSynced = !(key in input.snapshot);
  const base = neverSynced ? undefined : normalizeMergeValue(input.snapshot[key]);
  const flow = effectiveFlow(input.objectDirection, field.direction);
  if (field.firstSyncOnly && !neverSynced) {
    // Past its first sync the field no longer flows; the old agreement stays as the base.
    result.snapshot[key] = base ?? null;
    return;
  }
  const send = (winner: MasterSystem, value: MergeValue): boolean => {
    if (winner === 'prm' && flow.toSalesforce) {
      if (!sameValue(sf, value)) result.toSalesforce[key] = value;
      return true;
    }
    if (winner === 'salesforce' && flow.toPrm) {
      if (!sameValue(prm, value)) result.toPrm[key] = value;
      return true;
    }
    return false;
  };

  if (sameValue(prm, sf)) {
    result.snapshot[key] = prm;
    if (!sameValue(prm, base)) result.decisions.push({ key, rule: 'both_changed_equal', winner: 'both', value: prm });
    return;
  }

  if (neverSynced) {
    mergeFirstSync(key, prm, sf, input.policy.master, send, result);
    return;
  }

  const prmChanged = !sameValue(prm, base);
  const sfChanged = !sameValue(sf, base);
  if (prmChanged && !sfChanged) {
    result.snapshot[key] = send('prm', prm) ? prm : (base ?? null);
    result.decisions.push({ key, rule: 'only_prm_changed', winner: 'prm', value: prm });
    return;
  }
  if (sfChanged && !prmChanged) {
    result.snapshot[key] = send('salesforce', sf) ? sf : (base ?? null);
    result.decisions.push({ key, rule: 'only_salesforce_changed', winner: 'salesforce', value: sf });
    return;
  }
  // Both changed to different values: the conflict policy decides.
  const { winner, rule } = resolveConflictWinner(input);
  const value = winner === 'prm' ? prm : sf;
  const flowed = send(winner, value);
  result.snapshot[key] = flowed ? value : (base ?? null);
  result.conflicts.push({ key, prm, sf, snapshot: base, winner, rule, blockedByDirection: !flowed });
  result.decisions.push({ key, rule, winner, value });
}

/** Wizard rule for a field with no agreed base: the non-empty side wins; both non-empty → master system. */
function mergeFirstSync(
  key: string,
  prm: MergeValue,
  sf: MergeValue,
  master: MasterSystem,
  send: (winner: MasterSystem, value: MergeValue) => boolean,
  result: MergeResult,
): void {
  const onlyOne: MasterSystem | null = prm === null ? 'salesforce' : sf === null ? 'prm' : null;
  const winner = onlyOne ?? master;
  const value = winner === 'prm' ? prm : sf;
  const rule: MergeRule = onlyOne ? 'non_empty_wins' : 'first_sync_master';
  if (send(winner, value)) {
    result.snapshot[key] = value;
  } else {
    // Direction forbids the winner's value to flow: the allowed side's value flows instead when it has one.
    const other: MasterSystem = winner === 'prm' ? 'salesforce' : 'prm';
    const otherValue = other === 'prm' ? prm : sf;
    if (otherValue !== null && send(other, otherValue)) {
      result.snapshot[key] = otherValue;
      result.decisions.push({ key, rule: 'non_empty_wins', winner: other, value: otherValue });
      return;
    }
    // Nothing can flow: leave the field unsynced so a later edit is still treated as a first sync.
    if (rule === 'first_sync_master') {
      result.conflicts.push({ key, prm, sf, snapshot: undefined, winner, rule, blockedByDirection: true });
    }
    return;
  }
  result.decisions.push({ key, rule, winner, value });
  if (rule === 'first_sync_master') {
    result.conflicts.push({ key, prm, sf, snapshot: undefined, winner, rule, blockedByDirection: false });
  }
}

export function resolveConflictWinner(input: Pick<MergeInput, 'policy' | 'prmModifiedAt' | 'sfModifiedAt'>): {
  winner: MasterSystem;
  rule: 'master_system' | 'last_modified';
} {
  const { policy } = input;
  if (policy.kind === 'last_modified_wins') {
    const prmTime = input.prmModifiedAt?.getTime();
    const sfTime = input.sfModifiedAt?.getTime();
    if (prmTime !== undefined && sfTime !== undefined && prmTime !== sfTime) {
      return { winner: prmTime > sfTime ? 'prm' : 'salesforce', rule: 'last_modified' };
    }
  }
  return { winner: policy.master, rule: 'master_system' };
}

/** True when the merge asks for no write on either side. */
export function mergeIsNoop(result: MergeResult): boolean {
  return Object.keys(result.toPrm).length === 0 && Object.keys(result.toSalesforce).length === 0;
}
