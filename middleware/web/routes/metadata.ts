// /settings/metadata: the metadata check — every field, record type and permission set the settings need,
// looked up live in the org, and the command that deploys whatever is missing.
import type { FastifyInstance } from 'fastify';
import { PERMISSION_SETS } from '../../salesforce/fields.ts';
import { queryAllRecords } from '../../salesforce/query.ts';
import { buildSelect, soqlIn } from '../../salesforce/soql.ts';
import type { Describes } from '../../settings/describe.ts';
import { ASSIGN_COMMAND, checkMetadata, DEPLOY_COMMAND } from '../metadata-check.ts';
import { NoQuery } from '../forms.ts';
import { renderPage } from '../render.ts';
import type { ConsoleServices } from '../services.ts';

export async function metadataRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  app.get('/settings/metadata', { schema: { querystring: NoQuery } }, async (request, reply) => {
    const page = { title: 'Metadata check', section: 'connection' };
    if (!(await services.salesforce.isConfigured())) {
      return renderPage(request, reply, 'metadata', page, { notConnected: true });
    }
    const { settings } = await services.settings.load();
    const describes: Describes = {};
    const problems: string[] = [];
    for (const objectName of ['Account', 'Contact', 'Opportunity']) {
      try {
        describes[objectName] = await services.salesforce.describe(objectName, true);
      } catch (error) {
        problems.push(`${objectName}: ${(error as Error).message}`);
      }
    }
    let permissionSets: Set<string> | null = null;
    try {
      const session = await services.salesforce.session();
      const rows = await queryAllRecords(session, buildSelect({ object: 'PermissionSet', fields: ['Name'], where: [soqlIn('Name', [PERMISSION_SETS.integration, PERMISSION_SETS.admin])] }));
      permissionSets = new Set(rows.map((row) => String(row.Name)));
    } catch (error) {
      request.log.info({ err: error }, 'permission sets could not be queried');
    }
    const order = { missing: 0, unknown: 1, present: 2 } as const;
    const findings = checkMetadata(settings, describes, permissionSets).sort((a, b) => order[a.status] - order[b.status]);
    const missing = findings.filter((finding) => finding.status === 'missing');
    return renderPage(request, reply, 'metadata', page, {
      findings,
      missing: missing.length,
      unknown: findings.filter((finding) => finding.status === 'unknown').length,
      problems,
      deployCommand: DEPLOY_COMMAND,
      assignCommand: ASSIGN_COMMAND,
      permissionSetMissing: missing.some((finding) => finding.kind === 'permission set'),
    });
  });
}
