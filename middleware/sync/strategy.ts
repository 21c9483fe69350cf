// The typed strategies the merge is steered by: passed in explicitly, never read from settings deep inside.

/** Which way one mapped field may flow. */
export type FieldDirection = 'both' | 'to_salesforce' | 'to_prm';

/** Which way a whole object syncs; it overrides every field direction below it. */
export type ObjectDirection = 'push_and_pull' | 'push' | 'pull' | 'disabled';

export type MasterSystem = 'salesforce' | 'prm';

/**
 * How a field changed on both sides to different values is decided. `master` is also the tie-break for
 * last-modified-wins when both modification times are equal or unknown.
 */
export type ConflictPolicy =
  | { kind: 'master_system'; master: MasterSystem }
  | { kind: 'last_modified_wins'; master: MasterSystem };

export interface FlowPermission {
  toPrm: boolean;
  toSalesforce: boolean;
}

/** The effective flow of a field: the object direction first, then the field's own direction. */
export function effectiveFlow(objectDirection: ObjectDirection, fieldDirection: FieldDirection): FlowPermission {
  const objectAllows: FlowPermission = {
    toPrm: objectDirection === 'push_and_pull' || objectDirection === 'pull',
    toSalesforce: objectDirection === 'push_and_pull' || objectDirection === 'push',
  };
  return {
    toPrm: objectAllows.toPrm && fieldDirection !== 'to_salesforce',
    toSalesforce: objectAllows.toSalesforce && fieldDirection !== 'to_prm',
  };
}
