// Per-record fault injection for bulk rows (e.g. UNABLE_TO_LOCK_ROW on every 50th record), asked of the
// core's fault scripting (`org.faults.recordFailure`, set by startEmulator); contracts.ts does not
// declare it, hence the probe.
import type { EmulatorOrg, SfErrorItem, SObjectValues } from '../contracts.ts';

interface RecordFaultContext {
  api: 'bulk2';
  objectName: string;
  operation: string;
  index: number; // 0-based row number within the job
  values: SObjectValues;
}

interface FaultScriptingOrg {
  faults?: { recordFailure?: (context: RecordFaultContext) => SfErrorItem | undefined };
}

export function recordFaultFor(org: EmulatorOrg, context: Omit<RecordFaultContext, 'api'>): SfErrorItem | undefined {
  const faults = (org as EmulatorOrg & FaultScriptingOrg).faults;
  return typeof faults?.recordFailure === 'function' ? faults.recordFailure({ api: 'bulk2', ...context }) : undefined;
}
