// The world of the API, console and CSV cases: the real app (REST API with a bootstrap token, admin console
// with a logged-in admin) on a test database, optionally connected to an emulated org, with a few PRM
// records made through the API itself: a partner at version 2, a user in a deal-registration group, a plain
// contact and a deal.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createConnectionStore } from '../../../middleware/auth/salesforce-connection.ts';
import { startEmulator } from '../../sf-emulator/index.ts';
import { Client, openConsole, type ConsoleUnderTest } from '../../web/helpers.ts';

export const API_TOKEN = 'bad-inputs-api-token-0123456789abcdef';

export interface WorldIds {
  organization: string;
  user: string;
  contact: string;
  group: string;
  deal: string;
}

export interface ApiRequest {
  method: InjectOptions['method'];
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with this content type (or none). */
  raw?: { contentType?: string; payload: string | Buffer };
}

export interface ConsoleWorld {
  ui: ConsoleUnderTest;
  client: Client;
  emulator: Awaited<ReturnType<typeof startEmulator>> | null;
  ids: WorldIds;
  api(request: ApiRequest): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function openConsoleWorld(options: { connected: boolean }): Promise<ConsoleWorld> {
  const emulator = options.connected ? await startEmulator({ port: 0, size: 0 }) : null;
  const ui = await openConsole({ env: { PRM_SYNC_API_TOKEN: API_TOKEN } });
  if (emulator) {
    await createConnectionStore(ui.database.db, ui.app.config).saveConnection(
      { loginUrl: emulator.url, instanceUrl: emulator.url, clientId: 'bad-inputs', username: emulator.integrationUser.username, orgId: emulator.org.orgId, connectedAt: new Date().toISOString(), connectedBy: 'test' },
      emulator.refreshToken,
    );
  }
  const api = (request: ApiRequest) => {
    const headers: Record<string, string> = { authorization: `Bearer ${API_TOKEN}` };
    if (request.raw) {
      if (request.raw.contentType) headers['content-type'] = request.raw.contentType;
      return ui.app.inject({ method: request.method, url: request.url, headers, payload: request.raw.payload });
    }
    return ui.app.inject({ method: request.method, url: request.url, headers, ...(request.body === undefined ? {} : { payload: request.body as object }) });
  };
  const created = async (request: ApiRequest, status = 201) => {
    const response = await api(request);
    assert.equal(response.statusCode, status, response.body);
    return response.json() as { id: string };
  };
  const organization = await created({ method: 'POST', url: '/api/v1/organizations', body: { kind: 'partner', name: 'Acme Base Partners', billing_city: 'Cork', custom: { tier: 'gold' } } });
  await created({ method: 'PATCH', url: `/api/v1/organizations/${organization.id}`, body: { phone: '+353 21 000 0000' } }, 200);
  const user = await created({ method: 'POST', url: '/api/v1/contacts', body: { organization_id: organization.id, first_name: 'Jane', last_name: 'Doe', email: 'jane@acme-base.example' } });
  await created({ method: 'POST', url: `/api/v1/contacts/${user.id}/promote` }, 200);
  const contact = await created({ method: 'POST', url: '/api/v1/contacts', body: { organization_id: organization.id, last_name: 'Plain', email: 'plain@acme-base.example' } });
  const group = await created({ method: 'POST', url: '/api/v1/groups', body: { name: 'Deal registrars', kind: 'partner', modules: ['deal_registration'] } });
  await created({ method: 'PUT', url: `/api/v1/groups/${group.id}/members/${user.id}` });
  const deal = await created({ method: 'POST', url: '/api/v1/deals', body: { organization_id: organization.id, owner_contact_id: user.id, name: 'Base deal', stage: 'Prospecting', amount: 1250, close_date: '2026-06-30' } });

  const client = new Client(ui.app);
  const login = await client.login();
  assert.equal(login.statusCode, 303, 'the admin logs in');
  return {
    ui,
    client,
    emulator,
    ids: { organization: organization.id, user: user.id, contact: contact.id, group: group.id, deal: deal.id },
    api,
    async close() {
      await ui.close();
      await emulator?.close();
    },
  };
}

/** The PRM tables every API and console case snapshots. */
export const PRM_TABLES = ['organizations', 'contacts', 'groups', 'group_members', 'deal_registrations'] as const;
