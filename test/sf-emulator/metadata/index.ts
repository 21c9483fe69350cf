// Metadata API (SOAP) at /services/Soap/m/NN.N: deploy, checkDeployStatus, cancelDeploy and
// deployRecentValidation — what `sf project deploy start|validate|quick` and jsforce's
// `conn.metadata.deploy` send. Other operations answer with a fault that names them, never with a
// made-up success. The version segment has no 'v', so the pattern uses :apiVersion, not :version.
import type { EmulatorOrg, EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import { flag, isRecord, text } from './custom-field.ts';
import { cancelDeploy, findDeploy, quickDeploy, startDeploy } from './deploy-jobs.ts';
import type { DeployOptions } from './deploy-jobs.ts';
import { deployResult } from './deploy-result.ts';
import { SoapFault, parseSoapRequest, soapFaultReply, soapResult } from './soap.ts';

function handleSoap(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  try {
    const call = parseSoapRequest(request.rawBody.toString('utf8'));
    const user = callingUser(request, org);
    switch (call.operation) {
      case 'deploy': {
        const zip = text(call.args.ZipFile);
        if (!zip) throw new SoapFault('INVALID_ZIP', 'deploy needs a ZipFile (base64)', 'soapenv:Client');
        const job = startDeploy(org, zip, deployOptions(call.args.DeployOptions), user);
        return soapResult('deploy', { done: false, id: job.id, state: 'Queued' });
      }
      case 'checkDeployStatus': {
        const job = findDeploy(org, text(call.args.asyncProcessId) ?? '');
        if (!job) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
        const problems: string[] = [];
        const includeDetails = flag(call.args.includeDetails, 'includeDetails', problems) ?? false;
        return soapResult('checkDeployStatus', deployResult(job, includeDetails));
      }
      case 'cancelDeploy': {
        const job = findDeploy(org, text(call.args.String ?? call.args.id ?? call.args.asyncProcessId) ?? '');
        if (!job) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
        if (!cancelDeploy(job)) throw new SoapFault('INVALID_ID_FIELD', 'The deployment has already completed and cannot be canceled');
        return soapResult('cancelDeploy', { done: true, id: job.id });
      }
      case 'deployRecentValidation': {
        const validation = findDeploy(org, text(call.args.validationId) ?? '');
        if (!validation) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
        const job = quickDeploy(org, validation, user);
        if (!job) throw new SoapFault('INVALID_ID_FIELD', `${validation.id} is not a successful validation (checkOnly deploy) that can be quick-deployed`);
        return soapResult('deployRecentValidation', job.id);
      }
      default:
        throw new SoapFault('UNSUPPORTED_API_OPERATION', `The org emulator does not implement the Metadata API operation ${call.operation}`);
    }
  } catch (error) {
    if (error instanceof SoapFault) return soapFaultReply(error);
    throw error;
  }
}

/** The server checked the SessionHeader's token (SOAP carries it in the envelope) and set userId. */
function callingUser(request: EmulatorRequest, org: EmulatorOrg): { id: string; name: string } {
  const id = request.userId ?? '';
  const user = id ? org.retrieve('User', id, ['Name']) : undefined;
  return { id, name: typeof user?.Name === 'string' ? user.Name : '' };
}

function deployOptions(raw: unknown): DeployOptions {
  const options = isRecord(raw) ? raw : {};
  const problems: string[] = [];
  const read = (name: string) => flag(options[name], name, problems);
  const result: DeployOptions = {
    checkOnly: read('checkOnly') ?? false,
    // The Metadata API's documented default is false; `sf` always sends true.
    rollbackOnError: read('rollbackOnError') ?? false,
    ignoreWarnings: read('ignoreWarnings') ?? false,
    testLevel: text(options.testLevel),
  };
  if (problems.length > 0) throw new SoapFault('INVALID_TYPE', problems.join('; '), 'soapenv:Client');
  return result;
}

export const metadataRoutes: RouteModule = {
  name: 'metadata',
  routes: [{ method: 'POST', pattern: '/services/Soap/m/:apiVersion', handler: handleSoap }],
};
