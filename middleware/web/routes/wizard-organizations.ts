// /wizard/organizations: every unlinked PRM organization beside its stored suggestions (score and reasons),
// with Link, Select Other (a server-side search page), Create New in Salesforce and Don't Sync; below, the
// flagged Salesforce accounts nobody chose, with Create in PRM and Don't Sync. Paged and filterable;
// every decision is saved at once and can be changed until applied.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../errors.ts';
import { ACCOUNT_DECISIONS, ORG_DECISIONS, categorizingValues, decideAccount, decideOrganization, DecisionRefused, type AccountDecision, type OrgDecision } from '../../wizard/decisions.ts';
import { listOrganizations, listUnmatchedAccounts, organizationsAddedSince, SCORE_FILTERS, type OrgFilters, type ScoreFilter, type SuggestionView } from '../../wizard/org-list.ts';
import { searchAccounts } from '../../wizard/search.ts';
import { flash } from '../flash.ts';
import { formBody, Uuid, UuidParams } from '../forms.ts';
import { paginate } from '../pagination.ts';
import { renderPage } from '../render.ts';
import { actorOf, lockedByApply, PageNumber, ReturnField, SalesforceId, wizardFrame, wizardReturn } from './wizard-common.ts';
import type { WizardRouteOptions } from './wizard.ts';

const PAGE_SIZE = 50;
const ACCOUNT_PAGE_SIZE = 50;

const OrganizationsQuery = Type.Object(
  {
    view: Type.Optional(Type.Enum(['organizations', 'accounts'])),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    decision: Type.Optional(Type.Enum(['all', ...ORG_DECISIONS])),
    score: Type.Optional(Type.Enum([...SCORE_FILTERS])),
    page: PageNumber,
  },
  { additionalProperties: false },
);
const SelectQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), return: ReturnField }, { additionalProperties: false });
const DecideBody = formBody({ prmId: Uuid, decision: Type.Enum([...ORG_DECISIONS]), sfId: Type.Optional(SalesforceId), return: ReturnField });
const AccountBody = formBody({ sfId: SalesforceId, decision: Type.Enum([...ACCOUNT_DECISIONS]), return: ReturnField });

const FEATURE_LABELS: Record<string, string> = { name: 'Name', street: 'Street', city: 'City', postalCode: 'Postal code', phone: 'Phone', website: 'Website' };
const DECISION_LABELS: Record<OrgDecision, string> = { link: 'Link', create_new: 'Create New in Salesforce', dont_sync: "Don't Sync", undecided: 'Undecided' };
const DECISION_TONES: Record<OrgDecision, string> = { link: 'success', create_new: 'info', dont_sync: 'neutral', undecided: 'warning' };
const ACCOUNT_LABELS: Record<AccountDecision, string> = { create_in_prm: 'Create in PRM', dont_sync: "Don't Sync", undecided: 'Undecided' };

function addressOf(parts: Array<string | null>): string {
  return parts.filter((part) => part && part.trim() !== '').join(', ');
}

export function scoreBand(score: number, threshold: number): string {
  return score >= threshold ? 'high' : score >= threshold - 0.2 ? 'medium' : 'low';
}

function suggestionView(suggestion: SuggestionView, threshold: number, chosenSfId: string | null, decision: OrgDecision) {
  const shown = suggestion.features.filter((feature) => !feature.explanation.startsWith('Name not used'));
  return {
    ...suggestion,
    address: addressOf([suggestion.street, suggestion.postalCode, suggestion.city, suggestion.country]),
    percent: Math.round(suggestion.score * 100),
    band: scoreBand(suggestion.score, threshold),
    chosen: decision === 'link' && chosenSfId === suggestion.sfId,
    agreed: shown.filter((f) => f.agreed).map((f) => FEATURE_LABELS[f.feature] ?? f.feature),
    differing: shown.filter((f) => !f.agreed && f.similarity > 0 && f.similarity < 0.8).map((f) => FEATURE_LABELS[f.feature] ?? f.feature),
    explanations: shown.map((f) => ({ label: FEATURE_LABELS[f.feature] ?? f.feature, text: f.explanation, agreed: f.agreed, missing: f.explanation.includes('not compared') })),
  };
}

function currentUrl(request: FastifyRequest): string {
  return request.url.split('#')[0] ?? '/wizard/organizations';
}

export async function wizardOrganizationRoutes(app: FastifyInstance, { wizard }: WizardRouteOptions): Promise<void> {
  app.get('/wizard/organizations', { schema: { querystring: OrganizationsQuery } }, async (request, reply) => {
    const query = request.query as { view?: 'organizations' | 'accounts'; q?: string; decision?: OrgDecision | 'all'; score?: ScoreFilter; page?: number };
    const view = query.view ?? 'organizations';
    const filters: OrgFilters = { q: query.q?.trim() ?? '', decision: query.decision ?? 'all', score: query.score ?? 'all' };
    const settings = await wizard.settings();
    const statuses = wizard.statuses(settings);
    const threshold = wizard.threshold;
    const here = currentUrl(request);
    const keep = { q: filters.q, decision: filters.decision === 'all' ? '' : filters.decision, score: filters.score === 'all' ? '' : filters.score };
    const page = query.page ?? 1;
    const categorizing = categorizingValues(Object.values(settings.organizations.statusValues).flatMap((values) => Object.values(values).map((sf) => ({ sf }))));
    // Only the open tab is read (counting the accounts nobody chose means anti-joining every cached account).
    const noAccounts = { total: 0, byDecision: { create_in_prm: 0, dont_sync: 0, undecided: 0 }, rows: [] };
    const [frame, organizations, accounts] = await Promise.all([
      wizardFrame(wizard, 'organizations', here),
      listOrganizations(app.db, statuses, threshold, filters, view === 'organizations' ? PAGE_SIZE : 0, (page - 1) * PAGE_SIZE),
      view === 'accounts' ? listUnmatchedAccounts(app.db, filters.q, categorizing, ACCOUNT_PAGE_SIZE, (page - 1) * ACCOUNT_PAGE_SIZE) : noAccounts,
    ]);
    const added = frame.refreshedAt ? await organizationsAddedSince(app.db, frame.refreshedAt, statuses) : 0;
    const pagination = view === 'organizations'
      ? paginate('/wizard/organizations', keep, organizations.total, page, PAGE_SIZE)
      : paginate('/wizard/organizations', { view: 'accounts', q: filters.q }, accounts.total, page, ACCOUNT_PAGE_SIZE);
    const tabHref = (target: string) => `/wizard/organizations?${new URLSearchParams({ ...(target === 'accounts' ? { view: 'accounts' } : {}), ...(filters.q ? { q: filters.q } : {}) }).toString()}`.replace(/\?$/, '');
    return renderPage(request, reply, 'wizard/organizations', { title: 'Matching wizard · Organizations', section: 'wizard' }, {
      ...frame,
      view,
      showOrganizations: view === 'organizations',
      tabs: [
        { key: 'organizations', label: 'PRM organizations without a link', count: organizations.total, href: tabHref('organizations'), active: view === 'organizations' },
        { key: 'accounts', label: 'Salesforce accounts without a counterpart', count: view === 'accounts' ? accounts.total : null, href: tabHref('accounts'), active: view === 'accounts' },
      ],
      added,
      filters,
      threshold: Math.round(threshold * 100),
      decisionChoices: ['all', ...ORG_DECISIONS].map((value) => ({ value, label: value === 'all' ? 'All decisions' : DECISION_LABELS[value as OrgDecision], selected: value === filters.decision })),
      scoreChoices: [
        { value: 'all', label: 'Any score' },
        { value: 'above', label: `Best suggestion ≥ ${Math.round(threshold * 100)}%` },
        { value: 'below', label: `Best suggestion < ${Math.round(threshold * 100)}%` },
        { value: 'none', label: 'No suggestion' },
      ].map((choice) => ({ ...choice, selected: choice.value === filters.score })),
      counts: ORG_DECISIONS.map((decision) => ({ decision, label: DECISION_LABELS[decision], count: organizations.byDecision[decision], href: `/wizard/organizations?${new URLSearchParams({ ...(filters.q ? { q: filters.q } : {}), decision }).toString()}` })),
      accountCounts: (['create_in_prm', 'dont_sync', 'undecided'] as const).map((decision) => ({ decision, label: ACCOUNT_LABELS[decision], count: accounts.byDecision[decision] })),
      total: view === 'organizations' ? organizations.total : accounts.total,
      pagination,
      rows: organizations.rows.map((row) => ({
        ...row,
        address: addressOf([row.street, row.postalCode, row.city, row.country]),
        decisionLabel: DECISION_LABELS[row.decision],
        decisionTone: DECISION_TONES[row.decision],
        preselected: row.origin === 'preselected',
        suggestions: row.suggestions.map((s) => suggestionView(s, threshold, row.sfId, row.decision)),
        chosen: row.chosen ? { ...row.chosen, address: addressOf([row.chosen.street, row.chosen.postalCode, row.chosen.city, row.chosen.country]) } : null,
        selectHref: `/wizard/organizations/${row.id}/select?${new URLSearchParams({ return: here }).toString()}`,
      })),
      accounts: accounts.rows.map((account) => ({
        ...account,
        address: addressOf([account.street, account.postalCode, account.city, account.country]),
        decisionLabel: ACCOUNT_LABELS[account.decision],
        decisionTone: account.decision === 'create_in_prm' ? 'info' : account.decision === 'dont_sync' ? 'neutral' : 'warning',
      })),
      statusField: settings.organizations.statusField,
    });
  });

  app.get('/wizard/organizations/:id/select', { schema: { params: UuidParams, querystring: SelectQuery } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const query = request.query as { q?: string; return?: string };
    const organization = (await app.db('organizations').where({ id }).whereNull('deleted_at').first()) as Record<string, string | null> | undefined;
    if (!organization) throw notFound('PRM organization', id);
    const q = query.q === undefined ? String(organization.name) : query.q.trim();
    const back = wizardReturn(query.return, '/wizard/organizations');
    const [frame, hits, decision] = await Promise.all([
      wizardFrame(wizard, 'organizations', back),
      searchAccounts(app.db, q),
      app.db('wizard_org_decisions').where({ prm_id: id }).first('decision', 'sf_id', 'applied_at') as Promise<{ decision: string; sf_id: string | null; applied_at: Date | null } | undefined>,
    ]);
    return renderPage(request, reply, 'wizard/select', { title: `Select other · ${String(organization.name)}`, section: 'wizard' }, {
      ...frame,
      organization: { ...organization, address: addressOf([organization.billing_street ?? null, organization.billing_postal_code ?? null, organization.billing_city ?? null, organization.billing_country ?? null]) },
      q,
      back,
      backWithAnchor: `${back}#org-${id}`,
      hits: hits.map((hit) => ({
        ...hit,
        address: addressOf([hit.street, hit.postalCode, hit.city, hit.country]),
        percent: Math.round(hit.similarity * 100),
        chosenHere: decision?.decision === 'link' && decision.sf_id === hit.sfId,
        takenElsewhere: hit.takenBy !== null && !(decision?.decision === 'link' && decision.sf_id === hit.sfId) ? hit.takenBy : null,
      })),
    });
  });

  app.post('/wizard/organizations/decide', { schema: { body: DecideBody } }, async (request, reply) => {
    const body = request.body as { prmId: string; decision: OrgDecision; sfId?: string; return?: string };
    const back = wizardReturn(body.return, '/wizard/organizations');
    const locked = await lockedByApply(wizard);
    if (locked) {
      flash(request, 'warning', locked);
      return reply.redirect(back, 303);
    }
    try {
      const settings = await wizard.settings();
      const outcome = await decideOrganization(app.db, { prmId: body.prmId, decision: body.decision, sfId: body.sfId ?? null, statuses: wizard.statuses(settings), actor: actorOf(request) });
      flash(request, 'success', outcome.message, outcome.released ? [`“${outcome.released}” had this account pre-selected and is undecided now.`] : undefined);
    } catch (error) {
      if (!(error instanceof DecisionRefused)) throw error;
      flash(request, 'error', error.message);
    }
    const target = back.startsWith('/wizard/organizations/') ? '/wizard/organizations' : back;
    return reply.redirect(`${target}#org-${body.prmId}`, 303);
  });

  app.post('/wizard/accounts/decide', { schema: { body: AccountBody } }, async (request, reply) => {
    const body = request.body as { sfId: string; decision: AccountDecision; return?: string };
    const back = wizardReturn(body.return, '/wizard/organizations?view=accounts');
    const locked = await lockedByApply(wizard);
    if (locked) {
      flash(request, 'warning', locked);
      return reply.redirect(back, 303);
    }
    try {
      const settings = await wizard.settings();
      const categorizing = new Set(Object.values(settings.organizations.statusValues).flatMap((values) => Object.values(values)));
      const outcome = await decideAccount(app.db, { sfId: body.sfId, decision: body.decision, categorizing, statusField: settings.organizations.statusField, actor: actorOf(request) });
      flash(request, 'success', outcome.message);
    } catch (error) {
      if (!(error instanceof DecisionRefused)) throw error;
      flash(request, 'error', error.message);
    }
    return reply.redirect(`${back}#account-${body.sfId}`, 303);
  });
}
