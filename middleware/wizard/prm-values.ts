// The PRM row a Salesforce record becomes when the wizard creates it in the PRM ("Create in PRM" for an
// account, a Salesforce-only contact of a linked account): the mapped fields that may flow to the PRM,
// converted the same way the sync converts them. Pure.
import { sfValues, toPrmColumns, type ConversionProblem } from '../sync/fields.ts';
import type { MergeValue } from '../sync/merge.ts';
import type { SyncPlan } from '../sync/plan.ts';
import { effectiveFlow } from '../sync/strategy.ts';

export type PrmValuesResult = { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };

function flowingToPrm(plan: SyncPlan['organizations']) {
  return plan.fields.filter((field) => effectiveFlow(plan.direction, field.direction).toPrm);
}

export function organizationFromAccount(plan: SyncPlan, fields: Record<string, unknown>): PrmValuesResult {
  const flowing = flowingToPrm(plan.organizations);
  const problems: ConversionProblem[] = [];
  const values = sfValues(flowing, fields, problems) as Record<string, MergeValue>;
  const { columns, custom } = toPrmColumns(flowing, values);
  if (!columns.kind || !columns.status) {
    const statusField = plan.organizations.fields.find((field) => field.key === 'partner_status')?.sfField ?? 'the status picklist';
    const value = fields[statusField];
    return { ok: false, reason: `not categorized: ${statusField} is ${value ? `“${String(value)}”, which the settings do not map` : 'empty'}` };
  }
  if (columns.status === 'prospective' && !plan.includeProspective) return { ok: false, reason: 'its status is prospective, which the settings do not sync' };
  if (columns.status === 'inactive' && !plan.includeInactive) return { ok: false, reason: 'its status is inactive, which the settings do not sync' };
  if (!columns.name) return { ok: false, reason: tooLong(problems, 'name') ?? 'it has no name' };
  return { ok: true, values: { ...columns, custom } };
}

export function contactFromSalesforce(plan: SyncPlan, fields: Record<string, unknown>, organizationId: string): PrmValuesResult {
  const email = typeof fields.Email === 'string' ? fields.Email.trim().toLowerCase() : '';
  if (!email) return { ok: false, reason: 'it has no email' };
  const flowing = flowingToPrm(plan.contacts);
  const problems: ConversionProblem[] = [];
  const { columns, custom } = toPrmColumns(flowing, sfValues(flowing, fields, problems) as Record<string, MergeValue>);
  const lastNameTooLong = tooLong(problems, 'last_name');
  if (lastNameTooLong) return { ok: false, reason: lastNameTooLong };
  if (!columns.last_name) columns.last_name = email;
  return { ok: true, values: { ...columns, email, organization_id: organizationId, custom } };
}

/** "its Name has 300 characters, more than the 255 the PRM's name holds", when that is what went wrong. */
function tooLong(problems: readonly ConversionProblem[], key: string): string | null {
  const problem = problems.find((p) => p.kind === 'too_long' && p.key === key);
  return problem ? `its ${problem.sfField} has ${[...problem.value].length} characters, more than the ${problem.limit ?? 0} the PRM's ${key} holds` : null;
}
