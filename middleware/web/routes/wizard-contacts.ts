// /wizard/contacts: for every organization with a "Link" decision, its contacts on both sides matched by
// normalized email; conflicts (the same email under another account or organization) flagged; Salesforce
// contacts without an email listed as not syncable. Each syncable contact has a decision, saved at once.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { CONTACT_DECISIONS, type ContactDecision, type ContactEntry, type ContactSide } from '../../wizard/contact-match.ts';
import { contactCounts, contactsOfPairs, countLinkedPairs, decideContact, linkedPairs } from '../../wizard/contacts.ts';
import { DecisionRefused } from '../../wizard/decisions.ts';
import { flash } from '../flash.ts';
import { formBody } from '../forms.ts';
import { paginate } from '../pagination.ts';
import { renderPage } from '../render.ts';
import { actorOf, lockedByApply, PageNumber, ReturnField, wizardFrame, wizardReturn } from './wizard-common.ts';
import type { WizardRouteOptions } from './wizard.ts';

const PAGE_SIZE = 10;
const ContactsQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), page: PageNumber }, { additionalProperties: false });
const DecideBody = formBody({
  side: Type.Enum(['prm', 'salesforce']),
  recordId: Type.String({ pattern: '^([0-9a-fA-F-]{36}|[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})$' }),
  decision: Type.Enum([...CONTACT_DECISIONS]),
  return: ReturnField,
});

const KIND_LABELS: Record<ContactEntry['kind'], { text: string; tone: string }> = {
  match: { text: 'Email match', tone: 'success' },
  prm_only: { text: 'Only in the PRM', tone: 'info' },
  salesforce_only: { text: 'Only in Salesforce', tone: 'info' },
  duplicate: { text: 'Duplicate email', tone: 'warning' },
  no_email: { text: 'No email: not syncable', tone: 'neutral' },
  opted_out: { text: 'Opted out in Salesforce', tone: 'neutral' },
};

function optionLabel(entry: ContactEntry, option: ContactDecision): string {
  if (option === 'link') return 'Link';
  if (option === 'dont_sync') return "Don't Sync";
  return entry.side === 'prm' ? 'Create in Salesforce' : 'Create in PRM';
}

function entryView(entry: ContactEntry) {
  return {
    ...entry,
    kindLabel: KIND_LABELS[entry.kind].text,
    kindTone: KIND_LABELS[entry.kind].tone,
    anchor: `contact-${entry.side}-${entry.recordId}`,
    choices: entry.options.map((option) => ({ value: option, label: optionLabel(entry, option), current: option === entry.decision })),
    explanation: entry.kind === 'no_email' ? 'Contacts match by email only; the sync skips this one (CONTACT_NO_EMAIL) until it has an email.' : entry.kind === 'opted_out' ? 'Its contact-level sync flag is unchecked.' : null,
  };
}

export async function wizardContactRoutes(app: FastifyInstance, { wizard }: WizardRouteOptions): Promise<void> {
  app.get('/wizard/contacts', { schema: { querystring: ContactsQuery } }, async (request, reply) => {
    const query = request.query as { q?: string; page?: number };
    const q = query.q?.trim() ?? '';
    const here = request.url.split('#')[0] ?? '/wizard/contacts';
    const [frame, total, counts] = await Promise.all([wizardFrame(wizard, 'contacts', here), countLinkedPairs(app.db, q), contactCounts(app.db)]);
    const pagination = paginate('/wizard/contacts', { q }, total, query.page ?? 1, PAGE_SIZE);
    const pairs = await contactsOfPairs(app.db, await linkedPairs(app.db, { q, limit: PAGE_SIZE, offset: pagination.offset }));
    return renderPage(request, reply, 'wizard/contacts', { title: 'Matching wizard · Contacts', section: 'wizard' }, {
      ...frame,
      q,
      counts,
      total,
      pagination,
      pairs: pairs.map((pair) => ({
        ...pair,
        entries: pair.entries.map(entryView),
        matched: pair.entries.filter((entry) => entry.kind === 'match').length,
        conflicts: pair.entries.filter((entry) => entry.conflict !== null).length,
        notSyncable: pair.entries.filter((entry) => entry.decision === null).length,
      })),
    });
  });

  app.post('/wizard/contacts/decide', { schema: { body: DecideBody } }, async (request, reply) => {
    const body = request.body as { side: ContactSide; recordId: string; decision: ContactDecision; return?: string };
    const back = wizardReturn(body.return, '/wizard/contacts');
    const locked = await lockedByApply(wizard);
    if (locked) {
      flash(request, 'warning', locked);
      return reply.redirect(back, 303);
    }
    try {
      const outcome = await decideContact(app.db, { side: body.side, recordId: body.recordId, decision: body.decision, actor: actorOf(request) });
      flash(request, 'success', outcome.message);
    } catch (error) {
      if (!(error instanceof DecisionRefused)) throw error;
      flash(request, 'error', error.message);
    }
    return reply.redirect(`${back}#contact-${body.side}-${body.recordId}`, 303);
  });
}
