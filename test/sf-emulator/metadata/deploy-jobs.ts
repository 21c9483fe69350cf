// Deploy requests as the Metadata API runs them: `deploy` queues one and answers at once with its id,
// a timer takes it through InProgress to Succeeded / Failed (or Canceled), and `checkDeployStatus`
// reads where it is. State lives per org, so two emulators in one process never share deploys.
import type { EmulatorOrg } from '../contracts.ts';
import { readDeployZip, DeployPackageError } from './deploy-package.ts';
import type { ComponentSpec } from './deploy-package.ts';
import { planDeploy } from './deploy-plan.ts';
import type { ComponentOutcome } from './deploy-plan.ts';
import { saveCustomField } from './field-registry.ts';
import { KEY_PREFIX, newId, stableId } from './ids.ts';
import type { PermissionSetMetadata } from './record-type-and-permission-set.ts';

export type DeployStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export interface DeployOptions {
  checkOnly: boolean;
  rollbackOnError: boolean;
  ignoreWarnings: boolean;
  testLevel: string | undefined;
}

export interface DeployJob {
  id: string;
  status: DeployStatus;
  options: DeployOptions;
  createdById: string;
  createdByName: string;
  createdDate: Date;
  lastModifiedDate: Date;
  startDate?: Date;
  completedDate?: Date;
  outcomes: ComponentOutcome[];
  /** Ids of the components the deploy created or changed (00N…, 012…, 0PS…). */
  componentIds: Map<ComponentSpec, string>;
  errorMessage?: string;
  errorStatusCode?: string;
  stateDetail?: string;
  /** Kept so a successful validation (checkOnly) can be quick-deployed later. */
  zipBase64: string;
}

/**
 * How long a deploy waits in the queue before it runs. Short by default so `sf` finds it done at its
 * first poll; a test that wants to see it Pending (or cancel it) lengthens it with setDeployQueueTime.
 */
export const DEFAULT_DEPLOY_QUEUE_MS = 5;
const queueTimeByOrg = new WeakMap<EmulatorOrg, number>();

export function setDeployQueueTime(org: EmulatorOrg, milliseconds: number): void {
  queueTimeByOrg.set(org, milliseconds);
}

const deploysByOrg = new WeakMap<EmulatorOrg, Map<string, DeployJob>>();
const permissionSetsByOrg = new WeakMap<EmulatorOrg, Map<string, PermissionSetMetadata>>();

function deploysOf(org: EmulatorOrg): Map<string, DeployJob> {
  let deploys = deploysByOrg.get(org);
  if (!deploys) deploysByOrg.set(org, (deploys = new Map()));
  return deploys;
}

/** Permission sets deployed to this org (recorded, not enforced: the emulator has no field-level security). */
export function deployedPermissionSets(org: EmulatorOrg): ReadonlyMap<string, PermissionSetMetadata> {
  return permissionSetsByOrg.get(org) ?? new Map();
}

export function startDeploy(org: EmulatorOrg, zipBase64: string, options: DeployOptions, user: { id: string; name: string }): DeployJob {
  const now = new Date();
  const job: DeployJob = {
    id: newId(KEY_PREFIX.deploy),
    status: 'Pending',
    options,
    createdById: user.id.slice(0, 15),
    createdByName: user.name,
    createdDate: now,
    lastModifiedDate: now,
    outcomes: [],
    componentIds: new Map(),
    zipBase64,
  };
  deploysOf(org).set(job.id, job);
  setTimeout(() => {
    runDeploy(org, job, zipBase64).catch((error: unknown) => {
      finish(job, 'Failed', { errorMessage: `UNKNOWN_EXCEPTION: ${(error as Error).message}`, errorStatusCode: 'UNKNOWN_EXCEPTION' });
    });
  }, queueTimeByOrg.get(org) ?? DEFAULT_DEPLOY_QUEUE_MS).unref();
  return job;
}

/** deployRecentValidation: deploys what a successful checkOnly deploy validated, as a new deploy. */
export function quickDeploy(org: EmulatorOrg, validation: DeployJob, user: { id: string; name: string }): DeployJob | undefined {
  if (!validation.options.checkOnly || validation.status !== 'Succeeded') return undefined;
  return startDeploy(org, validation.zipBase64, { ...validation.options, checkOnly: false }, user);
}

export function findDeploy(org: EmulatorOrg, id: string): DeployJob | undefined {
  const deploys = deploysOf(org);
  return deploys.get(id) ?? [...deploys.values()].find((job) => job.id.slice(0, 15) === id.slice(0, 15));
}

/** Cancels a deploy that has not finished; answers false when it already has. */
export function cancelDeploy(job: DeployJob): boolean {
  if (job.status !== 'Pending' && job.status !== 'InProgress') return job.status === 'Canceling' || job.status === 'Canceled';
  job.status = 'Canceled';
  job.completedDate = job.lastModifiedDate = new Date();
  return true;
}

async function runDeploy(org: EmulatorOrg, job: DeployJob, zipBase64: string): Promise<void> {
  if (job.status !== 'Pending') return; // canceled while queued
  job.status = 'InProgress';
  job.startDate = job.lastModifiedDate = new Date();
  let specs: ComponentSpec[];
  try {
    specs = await readDeployZip(zipBase64);
  } catch (error) {
    if (!(error instanceof DeployPackageError)) throw error;
    // Salesforce reports an unreadable package as a failure of package.xml itself.
    const spec: ComponentSpec = { componentType: '', fullName: 'package.xml', fileName: 'package.xml', problems: [error.message] };
    job.outcomes = [{ spec, problems: [error.message], created: false, changed: false }];
    finish(job, 'Failed', {});
    return;
  }
  if (job.status !== 'InProgress') return; // canceled while the zip was read
  job.outcomes = planDeploy(specs, org, new Set(deployedPermissionSets(org).keys()));
  const failed = job.outcomes.some((o) => o.problems.length > 0);
  const apply = !job.options.checkOnly && (!failed || !job.options.rollbackOnError);
  if (apply) applyOutcomes(org, job);
  const stillFailed = job.outcomes.some((o) => o.problems.length > 0);
  const anySucceeded = job.outcomes.some((o) => o.problems.length === 0);
  finish(job, !stillFailed ? 'Succeeded' : apply && anySucceeded ? 'SucceededPartial' : 'Failed', {});
}

function finish(job: DeployJob, status: DeployStatus, extra: Pick<DeployJob, 'errorMessage' | 'errorStatusCode'>): void {
  Object.assign(job, extra);
  job.status = status;
  job.completedDate = job.lastModifiedDate = new Date();
}

/** Writes every component without problems, fields first so record types can name their picklists. */
function applyOutcomes(org: EmulatorOrg, job: DeployJob): void {
  const order = ['CustomObject', 'CustomField', 'RecordType', 'PermissionSet'];
  const ready = job.outcomes
    .filter((o) => o.problems.length === 0)
    .sort((a, b) => order.indexOf(a.spec.componentType) - order.indexOf(b.spec.componentType));
  for (const outcome of ready) {
    const { spec } = outcome;
    try {
      const objectName = spec.objectName ? (org.resolveObjectName(spec.objectName) ?? spec.objectName) : '';
      if (spec.field && !spec.standardField) {
        job.componentIds.set(spec, saveCustomField(org, objectName, spec.field).id);
      } else if (spec.recordType) {
        const { developerName, label, active } = spec.recordType;
        job.componentIds.set(spec, org.upsertRecordType({ sobjectType: objectName, developerName, label, active }));
      } else if (spec.permissionSet) {
        let sets = permissionSetsByOrg.get(org);
        if (!sets) permissionSetsByOrg.set(org, (sets = new Map()));
        sets.set(spec.permissionSet.name, spec.permissionSet);
        job.componentIds.set(spec, stableId(KEY_PREFIX.permissionSet, spec.permissionSet.name));
      }
    } catch (error) {
      // The core refused what the plan accepted: report it on the component rather than lose it.
      outcome.problems.push((error as Error).message);
      outcome.created = outcome.changed = false;
    }
  }
}

