// The vocabulary of a schedule: what users do on either side, sync cycles, and the faults injected into a
// cycle. Steps name their targets by a small number resolved at run time against the records a step can
// apply to (modulo their count), so a shrunk schedule stays meaningful. Each step prints as one line.
import type { Value } from '../model/fields.ts';
import type { Policy } from '../model/merge.ts';

/** How a generated email looks: a fresh unique address, the same in mixed case, none at all, or (SF contacts) a PRM sibling's. */
export type EmailChoice = 'fresh' | 'mixed-case' | 'none' | 'prm-sibling';

export type Step =
  | { op: 'prm.createOrg'; kind: 'partner' | 'distributor'; status: 'active' | 'prospective' | 'inactive'; values: Record<string, Value> }
  | { op: 'prm.createContact'; org: number; values: Record<string, Value> }
  | { op: 'prm.updateOrg'; org: number; field: string; value: Value }
  | { op: 'prm.updateContact'; contact: number; field: string; value: Value }
  | { op: 'prm.deleteOrg'; org: number }
  | { op: 'prm.deleteContact'; contact: number }
  | { op: 'prm.promote'; contact: number }
  | { op: 'sf.updateAccount'; org: number; field: string; value: Value }
  | { op: 'sf.deleteAccount' | 'sf.undeleteAccount' | 'sf.flag' | 'sf.unflag'; org: number }
  | { op: 'sf.createAccount'; flagged: boolean; status: string | null; values: Record<string, Value>; contacts: Array<{ values: Record<string, Value>; email: EmailChoice }> }
  | { op: 'sf.createContact'; org: number; values: Record<string, Value>; email: EmailChoice }
  | { op: 'sf.updateContact'; contact: number; field: string; value: Value }
  | { op: 'sf.deleteContact' | 'sf.undeleteContact'; contact: number }
  | { op: 'cycle'; faults: FaultSpec[] };

/** Where a request-level fault applies. */
export type FaultTarget = 'query' | 'collections.upsert' | 'collections.update' | 'bulk2' | 'any';

export type FaultSpec =
  | { kind: 'latency'; target: FaultTarget; ms: number }
  | { kind: 'http'; status: 500 | 503 | 429; target: FaultTarget; times: number; after: number }
  | { kind: 'drop'; target: FaultTarget; times: number; after: number }
  | { kind: 'expireSession'; after: number }
  | { kind: 'apiLimit'; target: FaultTarget; after: number }
  | { kind: 'recordFailures'; object: 'Account' | 'Contact' | 'any'; api: 'collections' | 'bulk2' | 'any'; every: number; times: number; code: 'UNABLE_TO_LOCK_ROW' | 'FIELD_CUSTOM_VALIDATION_EXCEPTION' };

export interface Schedule {
  policy: Policy;
  /** Upserts above this many rows go through a Bulk API 2.0 job. */
  bulkThreshold: number;
  /** The Salesforce cursor's overlap window. */
  overlapMs: number;
  /** Shifts the sync's clock: with an hour, the PRM cursor passes every committed row at once (no 10 s lag). */
  clockOffsetMs: number;
  steps: Step[];
}

const show = (value: Value) => (value === null ? 'null' : JSON.stringify(value));
const showValues = (values: Record<string, Value>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(' ');

export function describeFault(fault: FaultSpec): string {
  switch (fault.kind) {
    case 'latency':
      return `+${fault.ms}ms on ${fault.target}`;
    case 'http':
      return `HTTP ${fault.status} ×${fault.times} on ${fault.target}${fault.after ? ` after ${fault.after}` : ''}`;
    case 'drop':
      return `dropped connection ×${fault.times} on ${fault.target}${fault.after ? ` after ${fault.after}` : ''}`;
    case 'expireSession':
      return `session expires at request ${fault.after + 1}`;
    case 'apiLimit':
      return `REQUEST_LIMIT_EXCEEDED on ${fault.target}${fault.after ? ` after ${fault.after}` : ''}`;
    case 'recordFailures':
      return `${fault.code} on every ${fault.every}. ${fault.object === 'any' ? 'record' : fault.object} via ${fault.api} (≤${fault.times})`;
  }
}

/** One line per step; `target` is what the step resolved to when it ran (e.g. `O2`), if known. */
export function describeStep(step: Step, target?: string): string {
  const on = (n: number) => target ?? `#${n}`;
  switch (step.op) {
    case 'prm.createOrg':
      return `PRM: create ${step.kind}/${step.status} organization ${target ? `${target} ` : ''}${showValues(step.values)}`;
    case 'prm.createContact':
      return `PRM: create contact ${target ?? `in #${step.org}`} ${showValues(step.values)}`;
    case 'prm.updateOrg':
      return `PRM: set ${on(step.org)}.${step.field} = ${show(step.value)}`;
    case 'prm.updateContact':
      return `PRM: set ${on(step.contact)}.${step.field} = ${step.field === 'email' ? '(fresh email)' : show(step.value)}`;
    case 'prm.deleteOrg':
      return `PRM: delete organization ${on(step.org)}`;
    case 'prm.deleteContact':
      return `PRM: delete contact ${on(step.contact)}`;
    case 'prm.promote':
      return `PRM: promote contact ${on(step.contact)} to user`;
    case 'sf.updateAccount':
      return `SF: set ${on(step.org)}.${step.field} = ${show(step.value)}`;
    case 'sf.deleteAccount':
    case 'sf.undeleteAccount':
    case 'sf.flag':
    case 'sf.unflag':
      return `SF: ${step.op.slice(3).replace('Account', '')} account ${on(step.org)}`;
    case 'sf.createAccount':
      return `SF: create ${step.flagged ? 'flagged' : 'unflagged'} account ${target ? `${target} ` : ''}status=${show(step.status)} ${showValues(step.values)} with ${step.contacts.length} contact(s)${step.contacts.length ? ` [${step.contacts.map((c) => `email:${c.email}`).join(', ')}]` : ''}`;
    case 'sf.createContact':
      return `SF: create contact ${target ?? `in #${step.org}`} email:${step.email} ${showValues(step.values)}`;
    case 'sf.updateContact':
      return `SF: set ${on(step.contact)}.${step.field} = ${step.field === 'email' ? '(fresh email)' : show(step.value)}`;
    case 'sf.deleteContact':
    case 'sf.undeleteContact':
      return `SF: ${step.op === 'sf.deleteContact' ? 'delete' : 'undelete'} contact ${on(step.contact)}`;
    case 'cycle':
      return `SYNC cycle${step.faults.length ? ` with faults: ${step.faults.map(describeFault).join('; ')}` : ''}`;
  }
}

export function describeSchedule(schedule: Schedule): string {
  const policy = schedule.policy.kind === 'master_system' ? `master_system(${schedule.policy.master})` : `last_modified_wins(tie: ${schedule.policy.master})`;
  const head = `policy=${policy} bulkThreshold=${schedule.bulkThreshold} overlapMs=${schedule.overlapMs} clockOffsetMs=${schedule.clockOffsetMs}`;
  return [head, ...schedule.steps.map((step, i) => `  ${String(i + 1).padStart(2)}. ${describeStep(step)}`)].join('\n');
}
