// /records/{organizations,contacts,deals}/:id — Full Details of one record: PRM vs Salesforce values per
// mapped field, link state, last sync and errors, View in Salesforce, Sync Now, Unlink, relink to another
// Salesforce record, and the record's integration log history.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../errors.ts';
import type { SyncObject } from '../../sync/plan.ts';
import { flash } from '../flash.ts';
import { formBody, Uuid } from '../forms.ts';
import { createLogQueries } from '../queries/log.ts';
import { KIND_INFO, loadRecord, RECORD_KINDS, type RecordKind } from '../record-view.ts';
import { renderPage } from '../render.ts';
import type { ConsoleServices, RecordSyncResult } from '../services.ts';

const RecordParams = Type.Object({ kind: Type.Enum([...RECORD_KINDS]), id: Uuid }, { additionalProperties: false });
const LinkedParams = Type.Object({ kind: Type.Enum(['organizations', 'contacts']), id: Uuid }, { additionalProperties: false });
const RecordQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false });
const SfId = Type.String({ pattern: '^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$' });
const RelinkBody = formBody({ sfId: SfId });

const STATE_TONES: Record<string, string> = { linked: 'success', excluded: 'neutral', disconnected: 'warning', deleted: 'error' };

function describeResult(result: RecordSyncResult): string[] {
  const counts = result.counts as Record<string, number>;
  const sum = (...keys: string[]) => keys.reduce((total, key) => total + (counts[key] ?? 0), 0);
  const calls = `${result.apiCalls} API ${result.apiCalls === 1 ? 'call' : 'calls'}`;
  const updated = [sum('toSalesforce', 'createdInSalesforce') > 0 ? 'Salesforce' : null, sum('toPrm', 'createdInPrm') > 0 ? 'the PRM' : null].filter(Boolean);
  const summary =
    updated.length > 0 ? `Updated ${updated.join(' and ')} (${calls}).` : result.errors.length > 0 ? `Nothing written (${calls}).` : `Nothing to write: both sides agree (${calls}).`;
  return [summary, ...result.errors];
}

export async function recordRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  const log = createLogQueries(app.db);
  const pathOf = (kind: string, id: string) => `/records/${kind}/${id}`;

  /** Runs a record action, turning its outcome or failure into a flash message on the record page. */
  async function act(request: FastifyRequest, reply: FastifyReply, kind: string, id: string, action: () => Promise<string[] | null>, success: string) {
    try {
      const details = await action();
      const failed = details !== null && details.length > 1;
      flash(request, failed ? 'warning' : 'success', failed ? `${success}, with errors.` : `${success}.`, details ?? undefined);
    } catch (error) {
      flash(request, 'error', (error as Error).message);
    }
    return reply.redirect(pathOf(kind, id), 303);
  }

  app.get('/records/:kind/:id', { schema: { params: RecordParams, querystring: RecordQuery } }, async (request, reply) => {
    const { kind, id } = request.params as { kind: RecordKind; id: string };
    const q = (request.query as { q?: string }).q?.trim() ?? '';
    const { settings } = await services.settings.load();
    const facts = await loadRecord({ db: app.db, prm: app.prm, config: app.config, salesforce: services.salesforce, settings }, kind, id);
    if (!facts) throw notFound(KIND_INFO[kind].label, id);
    const info = KIND_INFO[kind];
    let candidates: Array<{ id: string; name: string; detail: string }> = [];
    let searchError: string | null = null;
    if (q && kind !== 'deals') {
      try {
        candidates = await services.salesforce.search(info.sfObject as 'Account' | 'Contact', q);
      } catch (error) {
        searchError = (error as Error).message;
      }
    }
    const history = await log.forRecord(id, facts.sfId, 50);
    const organizationId = kind === 'organizations' ? null : ((facts.row.organization_id as string | undefined) ?? null);
    const contacts = kind === 'organizations' ? (await app.prm.contacts.list({ organizationId: id, limit: 25 })).items : [];
    return renderPage(request, reply, 'record', { title: `${info.label}: ${facts.name}`, section: 'records' }, {
      ...facts,
      info,
      linkable: kind !== 'deals',
      canSyncDeal: kind === 'deals' && typeof services.recordSync.syncDealNow === 'function',
      // A link whose Salesforce record was never created (its first write failed) is not really linked yet.
      linkLabel: facts.link ? (facts.link.state === 'linked' && !facts.link.sf_id ? 'not yet in Salesforce' : facts.link.state) : 'not linked',
      stateTone: facts.link ? (facts.link.state === 'linked' && !facts.link.sf_id ? 'warning' : (STATE_TONES[facts.link.state] ?? 'neutral')) : 'neutral',
      deleted: Boolean(facts.row.deleted_at),
      organizationHref: organizationId ? pathOf('organizations', organizationId) : null,
      contacts: contacts.map((contact) => ({ name: [contact.first_name, contact.last_name].filter(Boolean).join(' '), email: contact.email, href: pathOf('contacts', contact.id) })),
      differences: facts.comparison.filter((field) => field.differs).length,
      q,
      candidates,
      searchError,
      history: history.map((entry) => ({ ...entry, tone: entry.level === 'error' ? 'error' : entry.level === 'warning' ? 'warning' : 'info' })),
    });
  });

  app.post('/records/:kind/:id/sync', { schema: { params: RecordParams, body: formBody({}) } }, async (request, reply) => {
    const { kind, id } = request.params as { kind: RecordKind; id: string };
    const object = KIND_INFO[kind].object;
    return act(
      request,
      reply,
      kind,
      id,
      async () => {
        if (object === 'deal') {
          if (!services.recordSync.syncDealNow) throw new Error('Sync Now is not available for deals yet: run the deal import from the Sync Manager.');
          return describeResult(await services.recordSync.syncDealNow(id));
        }
        return describeResult(await services.recordSync.syncNow(object, id));
      },
      'Synced now',
    );
  });

  app.post('/records/:kind/:id/unlink', { schema: { params: LinkedParams, body: formBody({}) } }, async (request, reply) => {
    const { kind, id } = request.params as { kind: 'organizations' | 'contacts'; id: string };
    return act(request, reply, kind, id, async () => {
      await services.recordSync.unlink(KIND_INFO[kind].object as SyncObject, id);
      request.log.info({ admin: request.admin?.email, kind, id }, 'record unlinked');
      return null;
    }, 'Unlinked: both records stay, the PRM id was cleared in Salesforce');
  });

  app.post('/records/:kind/:id/relink', { schema: { params: LinkedParams, body: RelinkBody } }, async (request, reply) => {
    const { kind, id } = request.params as { kind: 'organizations' | 'contacts'; id: string };
    const { sfId } = request.body as { sfId: string };
    return act(request, reply, kind, id, async () => describeResult(await services.recordSync.relink(KIND_INFO[kind].object as SyncObject, id, sfId)), `Linked to Salesforce record ${sfId}`);
  });
}
