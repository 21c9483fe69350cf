// DeployResult and DeployMessage in the Metadata API's shape (elements in WSDL order), as
// checkDeployStatus and cancelDeploy return them.
import type { DeployJob } from './deploy-jobs.ts';

const FINISHED = new Set(['Succeeded', 'SucceededPartial', 'Failed', 'Canceled']);

export function deployResult(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
  const done = FINISHED.has(job.status);
  const failures = job.outcomes.flatMap((outcome) =>
    outcome.problems.map((problem) => ({
      changed: false,
      componentType: outcome.spec.componentType,
      created: false,
      createdDate: iso(job.completedDate ?? job.lastModifiedDate),
      deleted: false,
      fileName: outcome.spec.fileName,
      fullName: outcome.spec.fullName,
      problem,
      problemType: 'Error',
      success: false,
    })),
  );
  const succeeded = job.outcomes.filter((o) => o.problems.length === 0);
  const successes = succeeded.map((outcome) => {
    const id = job.componentIds.get(outcome.spec);
    return {
      changed: outcome.changed,
      componentType: outcome.spec.componentType,
      created: outcome.created,
      createdDate: iso(job.completedDate ?? job.lastModifiedDate),
      deleted: false,
      fileName: outcome.spec.fileName,
      fullName: outcome.spec.fullName,
      ...(id ? { id } : {}),
      success: true,
    };
  });
  const manifestFailed = failures.some((f) => f.fileName === 'package.xml' && f.componentType === '');
  if (done && job.outcomes.length > 0 && !manifestFailed) {
    successes.push({
      changed: true, componentType: '', created: false, createdDate: iso(job.completedDate ?? job.lastModifiedDate),
      deleted: false, fileName: 'package.xml', fullName: 'package.xml', success: true,
    });
  }
  const components = job.outcomes.filter((o) => !(o.spec.componentType === '' && o.spec.fileName === 'package.xml'));

  const result: Record<string, unknown> = {
    checkOnly: job.options.checkOnly,
    ...(done ? { completedDate: iso(job.completedDate ?? job.lastModifiedDate) } : {}),
    createdBy: job.createdById,
    createdByName: job.createdByName,
    createdDate: iso(job.createdDate),
  };
  if (includeDetails && done) {
    result.details = {
      componentFailures: failures,
      componentSuccesses: successes,
      runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: '0.0' },
    };
  }
  Object.assign(result, {
    done,
    ...(job.errorMessage ? { errorMessage: job.errorMessage, errorStatusCode: job.errorStatusCode } : {}),
    id: job.id,
    ignoreWarnings: job.options.ignoreWarnings,
    lastModifiedDate: iso(job.lastModifiedDate),
    numberComponentErrors: done ? components.filter((o) => o.problems.length > 0).length : 0,
    numberComponentsDeployed: done ? components.filter((o) => o.problems.length === 0).length : 0,
    numberComponentsTotal: components.length,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: job.options.rollbackOnError,
    runTestsEnabled: false,
    ...(job.startDate ? { startDate: iso(job.startDate) } : {}),
    ...(job.stateDetail ? { stateDetail: job.stateDetail } : {}),
    status: job.status,
    success: job.status === 'Succeeded' || job.status === 'SucceededPartial',
  });
  return result;
}

function iso(date: Date): string {
  return date.toISOString();
}
