// /wizard/review: the merge preview of every decided link, field by field (PRM value, Salesforce value,
// merged value, the rule that decided), and what the apply will do in numbers. /wizard/confirm: the
// choice for anything still undecided, Apply (a background task; the page shows its progress and reloads
// itself until it is done — a plain reload works too), then the confirmation with counts and the applied
// links, each of which can be undone.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { applyWizard, describeApply } from '../../wizard/apply.ts';
import { contactCounts } from '../../wizard/contacts.ts';
import { loadPlan, openCrm } from '../../wizard/environment.ts';
import { fieldLabel, previewLink } from '../../wizard/preview.ts';
import { listUnmatchedAccounts } from '../../wizard/org-list.ts';
import { unlinkedOrganizations } from '../../wizard/suggest.ts';
import { undoLink, UndoRefused } from '../../wizard/undo.ts';
import { flash } from '../flash.ts';
import { formBody, safeLocalPath } from '../forms.ts';
import { paginate } from '../pagination.ts';
import { renderPage } from '../render.ts';
import { actorOf, PageNumber, ReturnField, taskView, wizardFrame, type Wizard } from './wizard-common.ts';
import type { WizardRouteOptions } from './wizard.ts';

const REVIEW_PAGE_SIZE = 10;
const APPLIED_PAGE_SIZE = 25;
const ReviewQuery = Type.Object({ page: PageNumber, changes: Type.Optional(Type.Enum(['all', 'only'])) }, { additionalProperties: false });
const ConfirmQuery = Type.Object({ page: PageNumber }, { additionalProperties: false });
const ConfirmBody = formBody({ undecidedOrganizations: Type.Enum(['create_new', 'dont_sync']), undecidedAccounts: Type.Enum(['create_in_prm', 'dont_sync']) });
const UndoParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) }, { additionalProperties: false });
const UndoBody = formBody({ return: ReturnField });

const ZERO_COUNTS = Object.fromEntries(
  ['organizationsLinked', 'organizationsCreatedInSalesforce', 'accountsCreatedInPrm', 'organizationsExcluded', 'accountsExcluded', 'organizationsErrors', 'accountsErrors', 'contactsLinked', 'contactsCreatedInSalesforce', 'contactsCreatedInPrm', 'contactsExcluded', 'contactsErrors', 'apiCalls'].map((key) => [key, 0]),
);

const n = (row: unknown) => Number((row as { n?: string | number } | undefined)?.n ?? 0);

/** What the apply will do, counted from the open decisions (nothing is read from Salesforce). */
async function plannedCounts(wizard: Wizard) {
  const { db } = wizard.env;
  const settings = await wizard.settings();
  const categorizing = new Set(Object.values(settings.organizations.statusValues).flatMap((values) => Object.values(values)));
  const [grouped, accounts, contacts, added] = await Promise.all([
    db('wizard_org_decisions').whereNull('applied_at').select('decision').count({ n: '*' }).groupBy('decision') as Promise<Array<{ decision: string; n: string | number }>>,
    listUnmatchedAccounts(db, '', categorizing, 0, 0),
    contactCounts(db),
    db('organizations').whereNull('deleted_at').whereIn('status', wizard.statuses(settings)).whereNotIn('id', db('wizard_org_decisions').select('prm_id')).whereNotIn('id', db('sync_links').where({ object: 'organization' }).whereNotNull('prm_id').select('prm_id')).count({ n: '*' }).first(),
  ]);
  const count = (decision: string) => Number(grouped.find((row) => row.decision === decision)?.n ?? 0);
  // Organizations Refresh Data has not seen yet have no decision row: they are undecided too.
  const organizations = { link: count('link'), createNew: count('create_new'), dontSync: count('dont_sync'), undecided: count('undecided') + n(added) };
  const accountCounts = { create: accounts.byDecision.create_in_prm, dontSync: accounts.byDecision.dont_sync, undecided: accounts.byDecision.undecided };
  return {
    organizations,
    accounts: accountCounts,
    contacts,
    nothingToDo: organizations.link + organizations.createNew + organizations.dontSync + organizations.undecided + accountCounts.create + accountCounts.dontSync + accountCounts.undecided === 0,
  };
}

const display = (value: unknown) => (value === null || value === undefined || value === '' ? null : String(value));

export async function wizardReviewRoutes(app: FastifyInstance, { wizard }: WizardRouteOptions): Promise<void> {
  app.get('/wizard/review', { schema: { querystring: ReviewQuery } }, async (request, reply) => {
    const query = request.query as { page?: number; changes?: 'all' | 'only' };
    const onlyChanges = query.changes === 'only';
    const plan = await loadPlan(wizard.env);
    const statuses = wizard.statuses(await wizard.settings());
    const [frame, planned] = await Promise.all([wizardFrame(wizard, 'review', '/wizard/review'), plannedCounts(wizard)]);
    const pagination = paginate('/wizard/review', { changes: onlyChanges ? 'only' : '' }, planned.organizations.link, query.page ?? 1, REVIEW_PAGE_SIZE);
    // The page's links by the decisions' index, then their rows; links whose records changed since drop out.
    const ids = ((await app.db('wizard_org_decisions').where({ decision: 'link' }).whereNull('applied_at').orderBy([{ column: 'sort_name' }, { column: 'prm_id' }]).limit(REVIEW_PAGE_SIZE).offset(pagination.offset).select('prm_id')) as Array<{ prm_id: string }>).map((row) => row.prm_id);
    const order = new Map(ids.map((id, index) => [id, index]));
    const rows = ((await unlinkedOrganizations(app.db, statuses)
      .join('wizard_org_decisions as d', 'd.prm_id', 'o.id')
      .join('wizard_sf_accounts as a', 'a.sf_id', 'd.sf_id')
      .whereIn('o.id', ids)
      .select('o.*', 'a.name as account_name', 'a.fields as account_fields', 'd.sf_id as decision_sf_id', 'd.origin')) as Array<Record<string, unknown>>)
      .sort((a, b) => (order.get(String(a.id)) ?? 0) - (order.get(String(b.id)) ?? 0));
    const previews = rows.map((row) => {
      const fields = (typeof row.account_fields === 'string' ? JSON.parse(row.account_fields) : row.account_fields) as Record<string, unknown>;
      const preview = previewLink(plan.organizations, row, fields ?? {});
      return {
        prmId: row.id,
        name: row.name,
        sfId: row.decision_sf_id,
        accountName: row.account_name,
        preselected: row.origin === 'preselected',
        changesPrm: preview.changesPrm,
        changesSalesforce: preview.changesSalesforce,
        fields: preview.fields
          .filter((field) => !onlyChanges || field.changesPrm || field.changesSalesforce)
          .map((field) => ({ ...field, prm: display(field.prm), sf: display(field.sf), merged: display(field.merged), changed: field.changesPrm || field.changesSalesforce })),
      };
    });
    const policy = plan.organizations.policy;
    return renderPage(request, reply, 'wizard/review', { title: 'Matching wizard · Review', section: 'wizard' }, {
      ...frame,
      planned,
      previews,
      pagination,
      onlyChanges,
      masterSystem: policy.master === 'prm' ? 'the PRM' : 'Salesforce',
      fieldCount: plan.organizations.fields.length,
      fieldList: plan.organizations.fields.map((field) => fieldLabel(field.key)).join(', '),
    });
  });

  app.get('/wizard/confirm', { schema: { querystring: ConfirmQuery } }, async (request, reply) => {
    const query = request.query as { page?: number };
    const [frame, lastApply] = await Promise.all([wizardFrame(wizard, 'confirm', '/wizard/confirm'), wizard.tasks.latest('apply')]);
    const applying = frame.running?.kind === 'apply' ? frame.running : null;
    const finished = !applying && lastApply?.status === 'succeeded' ? taskView(lastApply) : null;
    const failed = !applying && lastApply?.status === 'failed' ? lastApply : null;
    const appliedTotal = n(await app.db('wizard_link_history').whereNull('undone_at').count({ n: '*' }).first());
    const pagination = paginate('/wizard/confirm', {}, appliedTotal, query.page ?? 1, APPLIED_PAGE_SIZE);
    const applied = finished
      ? ((await app.db('wizard_link_history as h')
          .leftJoin('organizations as o', function joinOrg() {
            this.on('o.id', '=', 'h.prm_id').andOnVal('h.object', '=', 'organization');
          })
          .leftJoin('contacts as c', function joinContact() {
            this.on('c.id', '=', 'h.prm_id').andOnVal('h.object', '=', 'contact');
          })
          .leftJoin('wizard_sf_accounts as a', 'a.sf_id', 'h.sf_id')
          .whereNull('h.undone_at')
          .orderBy([{ column: 'h.object', order: 'desc' }, { column: 'h.id' }])
          .limit(APPLIED_PAGE_SIZE)
          .offset(pagination.offset)
          .select('h.id', 'h.link_id', 'h.object', 'h.action', 'h.prm_id', 'h.sf_id', 'h.prm_changes', 'h.sf_changes', 'o.name as organization_name', 'c.first_name', 'c.last_name', 'c.email', 'a.name as account_name')) as Array<Record<string, unknown>>)
      : [];
    return renderPage(request, reply, 'wizard/confirm', { title: 'Matching wizard · Confirm', section: 'wizard' }, {
      ...frame,
      applying,
      finished,
      summary: finished ? describeApply(finished.counts) : null,
      counts: { ...ZERO_COUNTS, ...(finished?.counts ?? {}) },
      failed,
      planned: applying ? null : await plannedCounts(wizard),
      applied: applied.map((row) => {
        const prmChanges = Object.keys((typeof row.prm_changes === 'string' ? JSON.parse(row.prm_changes) : row.prm_changes) ?? {});
        const sfChanges = Object.keys((typeof row.sf_changes === 'string' ? JSON.parse(row.sf_changes) : row.sf_changes) ?? {});
        const isOrg = row.object === 'organization';
        return {
          ...row,
          name: isOrg ? (row.organization_name ?? row.account_name ?? row.sf_id) : [row.first_name, row.last_name].filter(Boolean).join(' ') || row.email || row.sf_id,
          recordHref: row.prm_id ? `/records/${isOrg ? 'organizations' : 'contacts'}/${String(row.prm_id)}` : null,
          actionLabel: { link: 'Linked', create_in_salesforce: 'Created in Salesforce', create_in_prm: 'Created in the PRM', exclude: "Don't Sync" }[String(row.action)] ?? row.action,
          prmChanged: prmChanges.join(', '),
          sfChanged: sfChanges.filter((field) => !field.startsWith('PRM_')).join(', '),
          undoable: row.action === 'link' || row.action === 'exclude',
        };
      }),
      appliedTotal,
      pagination: finished ? pagination : null,
    });
  });

  app.post('/wizard/confirm', { schema: { body: ConfirmBody } }, async (request, reply) => {
    const body = request.body as { undecidedOrganizations: 'create_new' | 'dont_sync'; undecidedAccounts: 'create_in_prm' | 'dont_sync' };
    if (!(await wizard.services.salesforce.isConfigured())) {
      flash(request, 'error', 'Salesforce is not connected: connect it in Settings → Connection first.');
      return reply.redirect('/wizard/confirm', 303);
    }
    const actor = actorOf(request);
    const outcome = await wizard.tasks.start('apply', actor, (progress, counts) => applyWizard(wizard.env, { ...body, actor }, progress, counts));
    if (outcome.started) request.log.info({ admin: actor }, 'matching wizard apply started');
    else flash(request, 'warning', outcome.reason);
    return reply.redirect('/wizard/confirm', 303);
  });

  app.post('/wizard/links/:id/undo', { schema: { params: UndoParams, body: UndoBody } }, async (request, reply) => {
    const linkId = Number((request.params as { id: string }).id);
    const back = safeLocalPath((request.body as { return?: string }).return, '/wizard/confirm');
    try {
      const plan = await loadPlan(wizard.env);
      const { crm } = await openCrm(wizard.env, plan);
      const result = await undoLink(app.db, crm, linkId, actorOf(request), plan.externalIdField);
      const details = [
        result.restoredPrm.length > 0 ? `PRM values restored: ${result.restoredPrm.join(', ')}` : 'No PRM value needed restoring',
        result.restoredSalesforce.length > 0 ? `Salesforce values restored: ${result.restoredSalesforce.join(', ')}` : 'No Salesforce value needed restoring',
        ...(result.keptPrm.length + result.keptSalesforce.length > 0 ? [`Changed again since the link, so kept: ${[...result.keptPrm, ...result.keptSalesforce].join(', ')}`] : []),
        'Both records are unlinked now: link them again (or choose Don\'t Sync) before the next sync run treats them as new.',
      ];
      flash(request, 'success', 'The link was undone.', details);
      request.log.info({ admin: actorOf(request), linkId }, 'wizard link undone');
    } catch (error) {
      if (!(error instanceof UndoRefused)) {
        request.log.error({ err: error, linkId }, 'undo failed');
      }
      flash(request, 'error', (error as Error).message);
    }
    return reply.redirect(back, 303);
  });
}
