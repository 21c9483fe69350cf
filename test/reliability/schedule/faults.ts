// Installs a cycle's faults on the emulator and keeps an exact record of what they did: every request a
// rule affected (by kind) and every record write Salesforce was asked for, with the ones made to fail.
// The record-level rules decide themselves (counting), so each "fail" answer is known to be a real hit.
import type { FaultHandle, RunningEmulator } from '../../sf-emulator/index.ts';
import type { FaultMatch } from '../../sf-emulator/http/faults.ts';
import type { CrmAdapter } from '../../../middleware/sync/crm.ts';
import type { UpsertResult } from '../../../middleware/salesforce/writer.ts';
import type { FaultSpec, FaultTarget } from './steps.ts';

export interface RecordWrite {
  cycle: number;
  object: string;
  api: string;
  operation: string;
  /** PRM_Id__c for upserts, the Salesforce Id for updates. */
  key: string;
  failedWith: string | null;
}

/** Fault counts by kind, over everything a recorder saw. */
export type FaultCounts = Record<string, number>;

const TARGETS: Record<FaultTarget, RegExp> = {
  query: /^query/,
  'collections.upsert': /^collections\.upsert$/,
  'collections.update': /^collections\.update$/,
  bulk2: /^bulk2\./,
  any: /^(query|collections\.|bulk2\.)/,
};

/** One write call the engine made through the CRM adapter, and what it got back. */
export interface AdapterCall {
  cycle: number;
  /** The record writes Salesforce saw during the call: `writes.slice(from, to)`. */
  from: number;
  to: number;
  /** Failed results handed to the engine (null: the call threw). */
  failures: Array<{ key: string; code: string }> | null;
}

export class FaultRecorder {
  readonly writes: RecordWrite[] = [];
  readonly calls: AdapterCall[] = [];
  readonly injected: FaultCounts = {};
  /** Request-level faults that hit, per cycle: a cycle that failed must have met at least one. */
  readonly requestFaultsByCycle = new Map<number, number>();

  count(kind: string, hits: number): void {
    if (hits > 0) this.injected[kind] = (this.injected[kind] ?? 0) + hits;
  }

  failures(): RecordWrite[] {
    return this.writes.filter((w) => w.failedWith !== null);
  }
}

interface Installed {
  kind: string;
  handle: FaultHandle;
  requestLevel: boolean;
}

function matchFor(target: FaultTarget, extra: Partial<FaultMatch> = {}): FaultMatch {
  return { label: TARGETS[target], ...extra };
}

/** Updates are told apart by Salesforce Id, upserts by the external id — as the writer reports results. */
function keyOf(values: Record<string, unknown> | undefined, operation: string | undefined): string {
  return String((operation === 'update' ? values?.Id : values?.PRM_Id__c) ?? values?.Id ?? '');
}

/** Installs the faults for cycle `cycle`; call the returned function after the cycle to remove them and count their hits. */
export function installFaults(emulator: RunningEmulator, cycle: number, specs: readonly FaultSpec[], recorder: FaultRecorder): () => void {
  const installed: Installed[] = [];
  const { faults } = emulator;
  // The observer: sees every record write first and never fails one itself.
  installed.push({
    kind: 'observer',
    requestLevel: false,
    handle: faults.failRecords({
      when: (values, context) => {
        recorder.writes.push({ cycle, object: context.objectName, api: context.api ?? 'rest', operation: context.operation ?? '', key: keyOf(values, context.operation), failedWith: null });
        return false;
      },
    }),
  });
  for (const spec of specs) {
    switch (spec.kind) {
      case 'latency':
        installed.push({ kind: 'latency', requestLevel: false, handle: faults.delay(spec.ms, matchFor(spec.target)) });
        break;
      case 'http':
        installed.push({ kind: `http${spec.status}`, requestLevel: true, handle: faults.status(spec.status, matchFor(spec.target, { times: spec.times, after: spec.after })) });
        break;
      case 'drop':
        installed.push({ kind: 'droppedConnection', requestLevel: true, handle: faults.drop(matchFor(spec.target, { times: spec.times, after: spec.after })) });
        break;
      case 'expireSession': {
        const handle = faults.expireSession({ label: TARGETS.any, times: 1, after: spec.after });
        if (handle) installed.push({ kind: 'expiredSession', requestLevel: true, handle });
        break;
      }
      case 'apiLimit': {
        const handle = faults.apiLimit(matchFor(spec.target, { times: 1, after: spec.after }));
        if (handle) installed.push({ kind: 'apiLimitReached', requestLevel: true, handle });
        break;
      }
      case 'recordFailures': {
        let seen = 0;
        let hits = 0;
        const kind = spec.code === 'UNABLE_TO_LOCK_ROW' ? `unableToLockRow:${spec.api}` : `recordFailure:${spec.api}`;
        const handle = faults.failRecords({
          when: (values, context) => {
            if (spec.object !== 'any' && context.objectName !== spec.object) return false;
            if (spec.api !== 'any' && context.api !== spec.api) return false;
            if (hits >= spec.times) return false;
            seen += 1;
            if (seen % spec.every !== 0) return false;
            hits += 1;
            const write = recorder.writes.at(-1);
            if (write) write.failedWith = spec.code;
            return true;
          },
          error: { statusCode: spec.code, message: spec.code === 'UNABLE_TO_LOCK_ROW' ? 'unable to obtain exclusive access to this record or 1 records' : 'Blocked by a validation rule (injected)', fields: [] },
        });
        installed.push({ kind, requestLevel: false, handle });
        break;
      }
    }
  }
  return () => {
    let requestHits = 0;
    for (const { kind, handle, requestLevel } of installed) {
      handle.remove();
      if (kind === 'observer') continue;
      if (kind.includes(':')) {
        // Record rules count per api actually hit, so "any" becomes collections/bulk2 in the figures.
        continue;
      }
      recorder.count(kind, handle.hits);
      if (requestLevel) requestHits += handle.hits;
    }
    for (const write of recorder.writes) {
      if (write.cycle === cycle && write.failedWith) recorder.count(`${write.failedWith === 'UNABLE_TO_LOCK_ROW' ? 'unableToLockRow' : 'recordFailure'}:${write.api}`, 1);
    }
    recorder.requestFaultsByCycle.set(cycle, requestHits);
  };
}

/** Wraps the CRM adapter so the recorder knows which record writes belong to which write call and what the engine was told. */
export function recordingAdapter(crm: CrmAdapter, recorder: FaultRecorder, cycle: number): CrmAdapter {
  const track = async (write: () => Promise<UpsertResult[]>): Promise<UpsertResult[]> => {
    const call: AdapterCall = { cycle, from: recorder.writes.length, to: recorder.writes.length, failures: null };
    recorder.calls.push(call);
    try {
      const results = await write();
      call.failures = results.filter((r) => !r.success).map((r) => ({ key: r.externalId, code: r.errors[0]?.statusCode ?? 'UNKNOWN_ERROR' }));
      return results;
    } finally {
      call.to = recorder.writes.length;
    }
  };
  return {
    ...crm,
    upsertByExternalId: (...args) => track(() => crm.upsertByExternalId(...args)),
    updateByIds: (...args) => track(() => crm.updateByIds(...args)),
  };
}
