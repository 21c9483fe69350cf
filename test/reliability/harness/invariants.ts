// What must hold once the quiet cycles reached their fixed point: nothing twice on either side, every link
// pointing at records that exist and are in the state the link says, every record that should sync linked
// (or its absence explained in the log), both sides of every linked pair equal, cursors inside the data,
// and every injected record failure accounted for in the integration log.
import type { Knex } from 'knex';
import type { RunStatus } from '../../../middleware/sync/runs.ts';
import { organizationEntityType, prmValues, sfValues, type EntityKind } from '../model/fields.ts';
import type { Model } from '../model/entities.ts';
import { isLive, isPrmLive, type LinkRow, type Row, type World } from '../model/observe.ts';
import type { FaultRecorder } from '../schedule/faults.ts';

export interface CycleRecord {
  index: number;
  runId: string | null;
  status: RunStatus;
  error: string | null;
  requestFaults: number;
}

const KINDS: EntityKind[] = ['organization', 'contact'];

function accountOf(world: World, contact: Row): Row | undefined {
  return world.sf.organization.get(String(contact.AccountId ?? ''));
}

/** Whether a Salesforce record is meant to sync: live, flagged (contacts: account live and flagged, not opted out). */
function inScope(world: World, kind: EntityKind, record: Row): boolean {
  if (!isLive(record)) return false;
  if (kind === 'organization') return record.PRM_Sync__c === true;
  const account = accountOf(world, record);
  return account !== undefined && isLive(account) && account.PRM_Sync__c === true && record.PRM_Sync__c !== false;
}

export async function checkFinalState(db: Knex, world: World, model: Model): Promise<string[]> {
  const problems: string[] = [];
  const label = (kind: EntityKind, prmId: string | null, sfId: string | null) =>
    (prmId ? model.byPrm(kind, prmId)?.label : undefined) ?? (sfId ? model.bySf(kind, sfId)?.label : undefined) ?? `${kind} ${prmId ?? sfId}`;
  const logged = new Map<string, Set<string>>();
  for (const row of await db('integration_log').whereIn('code', ['ACCOUNT_NOT_CATEGORIZED', 'CONTACT_NO_EMAIL', 'CONTACT_EMAIL_TAKEN', 'CONTACT_ACCOUNT_NOT_LINKED']).select('code', 'sf_id')) {
    if (!logged.has(row.sf_id)) logged.set(row.sf_id, new Set());
    logged.get(row.sf_id)?.add(row.code);
  }

  for (const kind of KINDS) {
    // Nothing twice: one Salesforce record per PRM id, one link per record on each side.
    const byPrmId = new Map<string, string[]>();
    for (const [sfId, record] of world.sf[kind]) {
      if (typeof record.PRM_Id__c !== 'string') continue;
      byPrmId.set(record.PRM_Id__c, [...(byPrmId.get(record.PRM_Id__c) ?? []), sfId]);
    }
    for (const [prmId, sfIds] of byPrmId) if (sfIds.length > 1) problems.push(`${label(kind, prmId, null)} exists ${sfIds.length} times in Salesforce: ${sfIds.join(', ')}`);
    const links = world.links.filter((l) => l.object === kind);
    for (const column of ['prm_id', 'sf_id'] as const) {
      const seen = new Set<string>();
      for (const link of links) {
        const id = link[column];
        if (id && seen.has(id)) problems.push(`two ${kind} links share ${column} ${id}`);
        if (id) seen.add(id);
      }
    }
    for (const link of links) problems.push(...checkLink(world, model, kind, link, label));

    // Coverage: whatever should sync is linked, or the log says why not.
    for (const [prmId, row] of world.prm[kind]) {
      if (!isPrmLive(row)) continue;
      if (kind === 'contact') {
        const orgLink = world.linkByPrm.get(`organization:${String(row.organization_id)}`);
        if (orgLink?.state !== 'linked') continue;
      }
      const link = world.linkByPrm.get(`${kind}:${prmId}`);
      if (!link || link.sf_id === null) problems.push(`${label(kind, prmId, null)} is live in the PRM${kind === 'contact' ? ' under a linked organization' : ''} but was never created in Salesforce (link: ${link ? `${link.state}, needs_retry=${link.needs_retry}` : 'none'})`);
    }
    for (const [sfId, record] of world.sf[kind]) {
      if (!inScope(world, kind, record)) continue;
      if (kind === 'contact' && world.linkBySf.get(`organization:${String(record.AccountId)}`)?.state !== 'linked') continue;
      const link = world.linkBySf.get(`${kind}:${sfId}`);
      if (link && (link.state === 'linked' || link.state === 'deleted' || link.state === 'excluded')) continue;
      if (link?.state === 'disconnected' && link.prm_id && !isPrmLive(world.prm[kind].get(link.prm_id))) continue;
      const explained = logged.get(sfId);
      if (explained && explained.size > 0) continue;
      problems.push(`${label(kind, null, sfId)} is in scope in Salesforce but not linked (link: ${link?.state ?? 'none'}) and the log does not say why`);
    }
  }

  // Cursors never pass the data they cover.
  for (const cursor of await db('sync_cursors').select('*')) {
    const kind = cursor.object as EntityKind;
    if (!KINDS.includes(kind)) continue;
    const newest = Math.max(0, ...[...world.sf[kind].values()].map((r) => new Date(String(r.SystemModstamp).replace(/\+0000$/, 'Z')).getTime()));
    if (cursor.sf_modstamp && new Date(cursor.sf_modstamp).getTime() > newest) problems.push(`${kind} cursor ${new Date(cursor.sf_modstamp).toISOString()} is past the newest Salesforce change`);
    if (Number(cursor.prm_change_seq) > world.maxChangeSeq) problems.push(`${kind} PRM cursor ${cursor.prm_change_seq} is past the newest change_seq ${world.maxChangeSeq}`);
  }
  return problems;
}

function checkLink(world: World, model: Model, kind: EntityKind, link: LinkRow, label: (k: EntityKind, p: string | null, s: string | null) => string): string[] {
  const name = label(kind, link.prm_id, link.sf_id);
  const prmRow = link.prm_id ? world.prm[kind].get(link.prm_id) : undefined;
  const sfRecord = link.sf_id ? world.sf[kind].get(link.sf_id) : undefined;
  if (!prmRow) return [`${name}: link ${link.state} points at a PRM ${kind} that does not exist`];
  if (link.sf_id && !sfRecord) return [`${name}: link ${link.state} points at Salesforce ${link.sf_id}, which does not exist`];
  if (link.needs_retry) return [`${name}: still waits for a retry after the fixed point`];
  switch (link.state) {
    case 'linked': {
      if (!sfRecord) return [`${name}: linked without a Salesforce record`];
      if (!isPrmLive(prmRow)) return [`${name}: linked, but deleted in the PRM`];
      if (!isLive(sfRecord)) return [`${name}: linked, but deleted in Salesforce`];
      if (kind === 'organization' && sfRecord.PRM_Sync__c !== true) return [`${name}: linked, but its account is not flagged`];
      const out: string[] = [];
      if (kind === 'contact') {
        const orgLink = world.linkByPrm.get(`organization:${String(prmRow.organization_id)}`);
        if (orgLink?.state === 'linked' && orgLink.sf_id !== sfRecord.AccountId) out.push(`${name}: its Salesforce contact sits under account ${String(sfRecord.AccountId)}, not its organization's ${orgLink.sf_id}`);
      }
      const prm = prmValues(kind, prmRow);
      const sf = sfValues(kind, sfRecord);
      for (const key of Object.keys(prm)) {
        if ((prm[key] ?? null) !== (sf[key] ?? null)) out.push(`${name}.${key}: the sides disagree at the fixed point — PRM ${JSON.stringify(prm[key])}, Salesforce ${JSON.stringify(sf[key])}`);
      }
      return out;
    }
    case 'deleted': {
      if (isPrmLive(prmRow)) return [`${name}: link says deleted, but the PRM record is live`];
      if (!sfRecord || !isLive(sfRecord)) return [];
      const out: string[] = [];
      const entity = kind === 'organization' ? organizationEntityType(String(prmRow.kind), String(prmRow.status)) : prmRow.is_user === true ? 'User' : 'Contact';
      if (sfRecord.PRM_Sys_EntityType__c !== `${entity} (Deleted)`) out.push(`${name}: deleted in the PRM, but Salesforce says "${String(sfRecord.PRM_Sys_EntityType__c)}" instead of "${entity} (Deleted)"`);
      const entityModel = link.prm_id ? model.byPrm(kind, link.prm_id) : undefined;
      if (sfRecord.PRM_Sync__c !== false && !entityModel?.flaggedAfterPrmDelete) out.push(`${name}: deleted in the PRM, but its Salesforce record is still flagged`);
      return out;
    }
    case 'disconnected': {
      if (!sfRecord || !isPrmLive(prmRow) || !inScope(world, kind, sfRecord)) return [];
      return [`${name}: disconnected, yet its Salesforce record is live and in scope and its PRM record is live`];
    }
    default:
      return [];
  }
}

export async function checkLogAccounting(db: Knex, recorder: FaultRecorder, cycles: readonly CycleRecord[]): Promise<string[]> {
  const problems: string[] = [];
  const rows = await db('integration_log').whereIn('code', ['SF_WRITE_FAILED', 'PRM_WRITE_FAILED', 'RUN_FAILED', 'API_LIMIT_EXCEEDED', 'SESSION_REFRESH_FAILED', 'API_LIMIT_NEAR']).select('run_id', 'code', 'prm_id', 'sf_id', 'message');
  for (const row of rows.filter((r: Row) => r.code === 'PRM_WRITE_FAILED')) problems.push(`the PRM refused a sync write: ${String(row.message)}`);

  // Salesforce → engine: every injected failure the writer did not retry away reaches the engine, and nothing else does.
  for (const call of recorder.calls) {
    if (call.failures === null) continue; // the call threw (the run stops; its failure is logged below)
    const writes = recorder.writes.slice(call.from, call.to);
    const final = writes.filter((w, i) => w.failedWith !== null && !writes.slice(i + 1).some((later) => later.key === w.key && later.object === w.object));
    for (const failure of final) {
      if (!call.failures.some((r) => r.key === failure.key && r.code === failure.failedWith)) problems.push(`cycle ${call.cycle}: the injected ${failure.failedWith} on ${failure.object} ${failure.key} (${failure.api} ${failure.operation}) was not reported to the engine`);
    }
    for (const reported of call.failures) {
      if (!final.some((w) => w.key === reported.key)) problems.push(`cycle ${call.cycle}: Salesforce refused ${reported.key} with ${reported.code}, which nobody injected`);
    }
  }

  // Engine → log: every failure the engine was told about is an SF_WRITE_FAILED row of its run, and every row is one of them.
  for (const cycle of cycles) {
    if (!cycle.runId) continue;
    const received = recorder.calls.filter((c) => c.cycle === cycle.index).flatMap((c) => c.failures ?? []);
    const logged = rows.filter((r: Row) => r.run_id === cycle.runId && r.code === 'SF_WRITE_FAILED');
    for (const row of logged) {
      const at = received.findIndex((f) => f.key === row.prm_id || f.key === row.sf_id);
      if (at < 0) problems.push(`cycle ${cycle.index}: SF_WRITE_FAILED for ${String(row.prm_id)}/${String(row.sf_id)} matches no failure Salesforce reported: ${String(row.message)}`);
      else received.splice(at, 1);
    }
    if (cycle.status === 'succeeded') {
      for (const failure of received) problems.push(`cycle ${cycle.index}: the failure ${failure.code} of ${failure.key} is not in the integration log`);
    } else if (!rows.some((r: Row) => r.run_id === cycle.runId && r.code !== 'SF_WRITE_FAILED' && r.code !== 'PRM_WRITE_FAILED')) {
      problems.push(`cycle ${cycle.index}: the run ${cycle.status} but the log has no row saying why`);
    }
  }
  return problems;
}
