// change_seq is the sync's PRM cursor: every insert, update and soft delete of an organization, contact or
// deal takes the next value of one sequence; nothing else does.
import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { createPrmRepositories, toChangeSeq } from '../../middleware/prm/repositories/index.ts';

const database = await openTestDatabase();
after(() => database.close());
const prm = createPrmRepositories(database.db);

const seq = (row: { change_seq: string | number }) => toChangeSeq(row.change_seq);

describe(`change_seq on ${databaseLabel()}`, () => {
  test('strictly increases on insert, update and soft delete across all three entities', async () => {
    const observed: number[] = [];
    const organization = await prm.organizations.create({ kind: 'partner', name: 'Seq Org' });
    observed.push(seq(organization));
    const contact = await prm.contacts.create({ organization_id: organization.id, last_name: 'Seq', email: 'seq@example.com' });
    observed.push(seq(contact));
    observed.push(seq(await prm.organizations.update(organization.id, { phone: '+1 555 0101' })));
    observed.push(seq(await prm.contacts.update(contact.id, { title: 'CEO' })));
    observed.push(seq(await prm.contacts.promote(contact.id)));
    const deal = await prm.deals.create({ organization_id: organization.id, owner_contact_id: contact.id, name: 'Seq deal', stage: 'Prospecting' });
    observed.push(seq(deal));
    observed.push(seq(await prm.deals.update(deal.id, { stage: 'Qualification' })));
    observed.push(seq(await prm.deals.softDelete(deal.id)));
    observed.push(seq(await prm.contacts.softDelete(contact.id)));
    observed.push(seq(await prm.organizations.softDelete(organization.id)));
    for (let i = 1; i < observed.length; i++) assert.ok((observed[i] as number) > (observed[i - 1] as number), `step ${i}: ${observed.join(', ')}`);
  });

  test('no-op writes and failed writes take no change_seq', async () => {
    const organization = await prm.organizations.create({ kind: 'distributor', name: 'Quiet Org', website: 'quiet.example' });
    const unchanged = await prm.organizations.update(organization.id, { name: 'Quiet Org', website: 'quiet.example' });
    assert.equal(seq(unchanged), seq(organization));
    await assert.rejects(prm.organizations.update(organization.id, { name: 'Stale' }, { expectedVersion: 9 }));
    const [latest] = await prm.organizations.listChangedSince(seq(organization) - 1, 10);
    assert.equal(latest?.id, organization.id);
    assert.equal(seq(latest as { change_seq: number }), seq(organization));
  });

  test('deleting an organization stamps each of its contacts, and listChangedSince returns deletions in order', async () => {
    const organization = await prm.organizations.create({ kind: 'partner', name: 'Cascade Org' });
    const a = await prm.contacts.create({ organization_id: organization.id, last_name: 'A' });
    const b = await prm.contacts.create({ organization_id: organization.id, last_name: 'B' });
    const cursor = Math.max(seq(a), seq(b));
    const deleted = await prm.organizations.softDelete(organization.id);
    const contactChanges = await prm.contacts.listChangedSince(cursor, 10);
    assert.deepEqual(contactChanges.map((c) => c.id).sort(), [a.id, b.id].sort());
    assert.ok(contactChanges.every((c) => c.deleted_at !== null && seq(c) > cursor && seq(c) < seq(deleted)));
    const organizationChanges = await prm.organizations.listChangedSince(cursor, 10);
    assert.deepEqual(organizationChanges.map((o) => o.id), [organization.id]);
  });

  test('iterateChangedSince streams every change in keyset batches', async () => {
    const start = Number((await database.db.raw("select last_value from prm_change_seq")).rows[0].last_value);
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await prm.organizations.create({ kind: 'partner', name: `Batch ${i}` })).id);
    const batches: string[][] = [];
    for await (const batch of prm.organizations.iterateChangedSince(start, 3)) batches.push(batch.map((row) => row.id));
    assert.deepEqual(batches.map((batch) => batch.length), [3, 3, 1]);
    assert.deepEqual(batches.flat(), created);
  });

  test('a transaction across repositories commits together or not at all', async () => {
    const before = Number((await database.db('organizations').count({ count: '*' }))[0]?.count);
    await assert.rejects(
      database.db.transaction(async (trx) => {
        const scoped = createPrmRepositories(trx);
        const organization = await scoped.organizations.create({ kind: 'partner', name: 'Rolled Back' });
        await scoped.contacts.create({ organization_id: organization.id, last_name: 'One', email: 'same@example.com' });
        await scoped.contacts.create({ organization_id: organization.id, last_name: 'Two', email: 'SAME@example.com' });
      }),
      (error: Error & { code?: string }) => error.code === 'DUPLICATE_EMAIL',
    );
    assert.equal(Number((await database.db('organizations').count({ count: '*' }))[0]?.count), before);
    assert.equal((await database.db('contacts').where({ email: 'same@example.com' })).length, 0);
  });
});
