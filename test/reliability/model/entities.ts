// The model's records: one entity per real-world partner or contact, whichever side created it, with the
// ids it has on each side once known, the values both sides last agreed on, and which fields a Salesforce
// user edited since. After every cycle it learns what the sync created (by PRM_Id__c) and checks that each
// pair changed only the way the reference merge allows.
import { fieldsOf, prmValues, sfValues, type EntityKind, type Value, type Values } from './fields.ts';
import { creationOutcome, mergePair, type FieldOutcome, type Policy } from './merge.ts';
import { isPrmLive, prmTime, sfTime, type World } from './observe.ts';

export interface Entity {
  label: string;
  kind: EntityKind;
  origin: 'prm' | 'salesforce';
  prmId: string | null;
  sfId: string | null;
  /** Contacts: the organization entity they belong to. */
  org: Entity | null;
  base: Record<string, Value>;
  sfUserEdited: Set<string>;
  /** The Salesforce record was made by a Salesforce user, not created by the sync. */
  sfByUser: boolean;
  /** A Salesforce user flagged the record after its PRM side was deleted (it may stay flagged). */
  flaggedAfterPrmDelete: boolean;
}

export class Model {
  readonly entities: Entity[] = [];
  readonly violations: string[] = [];
  private counters: Record<EntityKind, number> = { organization: 0, contact: 0 };

  constructor(readonly policy: Policy) {}

  add(kind: EntityKind, origin: Entity['origin'], ids: { prmId?: string; sfId?: string }, org: Entity | null = null): Entity {
    this.counters[kind] += 1;
    const entity: Entity = {
      label: `${kind === 'organization' ? 'O' : 'C'}${this.counters[kind]}`,
      kind,
      origin,
      prmId: ids.prmId ?? null,
      sfId: ids.sfId ?? null,
      org,
      base: {},
      sfUserEdited: new Set(),
      sfByUser: origin === 'salesforce',
      flaggedAfterPrmDelete: false,
    };
    this.entities.push(entity);
    return entity;
  }

  of(kind: EntityKind): Entity[] {
    return this.entities.filter((e) => e.kind === kind);
  }

  byPrm(kind: EntityKind, id: string): Entity | undefined {
    return this.entities.find((e) => e.kind === kind && e.prmId === id);
  }

  bySf(kind: EntityKind, id: string): Entity | undefined {
    return this.entities.find((e) => e.kind === kind && e.sfId === id);
  }

  /** A Salesforce user changed these fields (values in the model's canonical form). */
  sfUserEdit(entity: Entity, keys: readonly string[]): void {
    for (const key of keys) entity.sfUserEdited.add(key);
  }

  /**
   * Learns the records the sync created or linked in the last cycle, from PRM_Id__c on the Salesforce side.
   * Anything it cannot place is a duplicate or a phantom and becomes a violation.
   */
  discover(world: World, cycle: number): void {
    for (const kind of ['organization', 'contact'] as const) {
      // Pairs the sync made: from its links, and from the PRM id it wrote onto Salesforce records.
      const pairs: Array<[string, string]> = world.links.filter((l) => l.object === kind && l.prm_id && l.sf_id).map((l) => [l.prm_id as string, l.sf_id as string]);
      const unplaced: string[] = [];
      for (const [sfId, record] of world.sf[kind]) {
        const prmId = typeof record.PRM_Id__c === 'string' ? record.PRM_Id__c : null;
        if (prmId) pairs.push([prmId, sfId]);
        else if (!this.bySf(kind, sfId)) unplaced.push(`cycle ${cycle}: Salesforce ${kind} ${sfId} (no PRM id) belongs to no record the schedule made`);
      }
      for (const [prmId, sfId] of pairs) this.place(kind, prmId, sfId, world, cycle);
      this.violations.push(...unplaced);
      for (const sfId of world.sf[kind].keys()) {
        if (!this.bySf(kind, sfId)) this.violations.push(`cycle ${cycle}: Salesforce ${kind} ${sfId} belongs to no record the schedule made (a duplicate?)`);
      }
      for (const id of world.prm[kind].keys()) {
        if (!this.byPrm(kind, id)) this.violations.push(`cycle ${cycle}: PRM ${kind} ${id} belongs to no record the schedule made (a duplicate?)`);
      }
    }
    this.dedupeViolations();
  }

  /** One (PRM id, Salesforce id) pair seen in the world: attach it to the entity it completes. */
  private place(kind: EntityKind, prmId: string, sfId: string, world: World, cycle: number): void {
    const bySf = this.bySf(kind, sfId);
    const byPrm = this.byPrm(kind, prmId);
    if (bySf && bySf === byPrm) return;
    if (!world.prm[kind].has(prmId)) return; // a PRM id written back before the PRM record committed: not a pair yet
    if (bySf && byPrm) {
      if (bySf.prmId === null && byPrm.sfId === null) {
        // Linked by email to an existing PRM contact: the two model entities are one pair from now on.
        byPrm.sfId = sfId;
        byPrm.sfByUser = true;
        for (const key of bySf.sfUserEdited) byPrm.sfUserEdited.add(key);
        this.entities.splice(this.entities.indexOf(bySf), 1);
        return;
      }
      this.violations.push(`cycle ${cycle}: Salesforce ${kind} of ${bySf.label} is paired with the PRM record of ${byPrm.label} (${bySf.label} has PRM id ${bySf.prmId ?? 'none'}, ${byPrm.label} has Salesforce id ${byPrm.sfId ?? 'none'})`);
      return;
    }
    if (bySf) {
      if (bySf.prmId === null) bySf.prmId = prmId;
      else this.violations.push(`cycle ${cycle}: ${bySf.label}'s Salesforce ${kind} is paired with PRM ${prmId}, not its own ${bySf.prmId}`);
      return;
    }
    if (byPrm) {
      if (byPrm.sfId === null) byPrm.sfId = sfId;
      else this.violations.push(`cycle ${cycle}: a second Salesforce ${kind} ${sfId} is paired with ${byPrm.label} (first: ${byPrm.sfId})`);
    }
  }

  /** Checks how every pair changed between two pictures taken around cycle `cycle`, and moves the agreed values on. */
  checkTransitions(before: World, after: World, cycle: number): void {
    for (const entity of this.entities) {
      if (!entity.prmId || !entity.sfId) continue;
      const kind = entity.kind;
      const key = `${kind}:${entity.prmId}`;
      const prePrm = before.prm[kind].get(entity.prmId);
      const preSf = before.sf[kind].get(entity.sfId);
      const postPrm = after.prm[kind].get(entity.prmId);
      const postSf = after.sf[kind].get(entity.sfId);
      if (!postPrm || !postSf) {
        this.violations.push(`cycle ${cycle}: ${entity.label} lost its ${postPrm ? 'Salesforce' : 'PRM'} record`);
        continue;
      }
      const preLink = before.linkByPrm.get(key);
      const postLink = after.linkByPrm.get(key);
      if (postLink && postLink.sf_id !== null && postLink.sf_id !== entity.sfId) {
        this.violations.push(`cycle ${cycle}: ${entity.label}'s link points at Salesforce ${postLink.sf_id}, but its record is ${entity.sfId}`);
        continue;
      }
      // Committed in this cycle: the link's sync time moved (a write-ahead row alone has none).
      const committed = postLink !== undefined && postLink.last_synced_at !== null && postLink.last_synced_at !== (preLink?.last_synced_at ?? null);
      const expected = () => this.expectedOutcome(entity, prePrm, preSf, postPrm);
      if (committed && postLink.state === 'linked' && !postLink.needs_retry) {
        const outcome = expected();
        this.compare(entity, cycle, outcome, prmValues(kind, postPrm), sfValues(kind, postSf), 'after the sync committed it');
        entity.base = Object.fromEntries(Object.entries(outcome).map(([k, o]) => [k, o.value]));
        entity.sfUserEdited.clear();
        continue;
      }
      if (committed && postLink.state === 'linked') {
        // Committed in the PRM while the Salesforce write waits for a retry: the PRM side holds the merge, and
        // each Salesforce field either the merge or what it had.
        const outcome = expected();
        const prm = prmValues(kind, postPrm);
        const sf = sfValues(kind, postSf);
        const preValues = preSf ? sfValues(kind, preSf) : {};
        for (const field of fieldsOf(kind)) {
          const want = outcome[field.key];
          if (!want) continue;
          if (field.flow === 'both' && prm[field.key] !== want.value) this.violations.push(`cycle ${cycle}: ${entity.label}.${field.key} committed in the PRM (retry pending): expected ${show(want.value)} (${want.rule}), PRM has ${show(prm[field.key] ?? null)}`);
          if (sf[field.key] === want.value) {
            if (field.flow === 'both' && prm[field.key] === want.value) entity.base[field.key] = want.value;
            entity.sfUserEdited.delete(field.key);
          } else if (preSf && sf[field.key] !== preValues[field.key]) {
            this.violations.push(`cycle ${cycle}: ${entity.label}.${field.key} became ${show(sf[field.key] ?? null)} in Salesforce, neither its old value nor the merge's ${show(want.value)}`);
          }
        }
        continue;
      }
      if (committed || !isPrmLive(prePrm)) continue; // disconnect / mark deleted: no field merge to check
      if (prePrm && changedKeys(prmValues(kind, prePrm), prmValues(kind, postPrm)).length > 0) {
        this.violations.push(`cycle ${cycle}: ${entity.label}'s PRM record changed although its link was not committed`);
      }
      if (!preSf) continue;
      const changed = changedKeys(sfValues(kind, preSf), sfValues(kind, postSf));
      if (changed.length === 0) continue;
      // Written to Salesforce but not confirmed locally (the run stopped in between): the values must still be a merge's.
      const outcome = expected();
      for (const field of changed) {
        if (outcome[field]?.value !== sfValues(kind, postSf)[field]) {
          this.violations.push(`cycle ${cycle}: the sync wrote ${entity.label}.${field} = ${show(sfValues(kind, postSf)[field] ?? null)} to Salesforce without committing, but a merge gives ${show(outcome[field]?.value ?? null)} (${outcome[field]?.rule})`);
        }
        entity.sfUserEdited.delete(field);
      }
    }
  }

  expectedOutcome(entity: Entity, prePrm: Record<string, unknown> | undefined, preSf: Record<string, unknown> | undefined, postPrm: Record<string, unknown>): Record<string, FieldOutcome> {
    const kind = entity.kind;
    if (prePrm && preSf) {
      return mergePair({
        kind,
        base: entity.base,
        prm: prmValues(kind, prePrm),
        sf: sfValues(kind, preSf),
        sfUserEdited: entity.sfUserEdited,
        sfByUser: entity.sfByUser,
        policy: this.policy,
        prmModifiedAt: prmTime(prePrm),
        sfModifiedAt: sfTime(preSf),
        prmRow: prePrm,
      });
    }
    return creationOutcome(kind, prePrm ? prmValues(kind, prePrm) : sfValues(kind, preSf ?? {}), postPrm);
  }

  private compare(entity: Entity, cycle: number, outcome: Record<string, FieldOutcome>, prm: Values, sf: Values, when: string): void {
    for (const field of fieldsOf(entity.kind)) {
      const want = outcome[field.key];
      if (!want) continue;
      const problems: string[] = [];
      if (field.flow === 'both' && prm[field.key] !== want.value) problems.push(`PRM has ${show(prm[field.key] ?? null)}`);
      if (sf[field.key] !== want.value) problems.push(`Salesforce has ${show(sf[field.key] ?? null)}`);
      if (problems.length > 0) {
        this.violations.push(`cycle ${cycle}: ${entity.label}.${field.key} ${when}: expected ${show(want.value)} (${want.rule}), but ${problems.join(' and ')}`);
      }
    }
  }

  private dedupeViolations(): void {
    const unique = [...new Set(this.violations)];
    this.violations.splice(0, this.violations.length, ...unique);
  }
}

const show = (value: Value) => (value === null ? 'null' : JSON.stringify(value));

export function changedKeys(a: Values, b: Values): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => (a[k] ?? null) !== (b[k] ?? null));
}
