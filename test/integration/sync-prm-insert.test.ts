// The sync's set-based PRM and link inserts: rows that set the same columns go in as one JSON parameter,
// typed by the table; rows that differ take the multi-row VALUES path, defaults and all. Both must store
// exactly what was given and stamp each row with its own change_seq.
import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { prmAccess } from '../../middleware/sync/prm-access.ts';
import { linksRepository } from '../../middleware/sync/links.ts';

const database = await openTestDatabase();
after(() => database.close());
const { db } = database;

describe(`set-based inserts on ${databaseLabel()}`, () => {
  test('rows with the same columns: values, JSON custom fields and a change_seq each, as given', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      id: randomUUID(),
      kind: i % 2 ? 'partner' : 'distributor',
      name: `Ü'ber "Quoted" \\ Org ${i}`,
      website: i % 3 ? null : `https://o${i}.example.com`,
      billing_city: 'Zürich',
      custom: { Tier__c: `Gold ${i}`, nested: { ok: true } },
    }));
    const seqs = await db.transaction((trx) => prmAccess.insertMany(trx, 'organization', rows));
    assert.equal(seqs.size, rows.length);
    assert.equal(new Set(seqs.values()).size, rows.length, 'every row has its own change_seq');
    const stored = new Map((await prmAccess.byIds(db, 'organization', rows.map((r) => r.id))).map((r) => [r.id, r]));
    for (const row of [rows[0], rows[1], rows[1202]]) {
      const got = stored.get(row!.id)!;
      assert.equal(got.name, row!.name);
      assert.equal(got.website, row!.website);
      assert.equal(got.kind, row!.kind);
      assert.equal(got.status, 'active', 'a column the rows do not set keeps its default');
      assert.deepEqual(got.custom, row!.custom);
      assert.equal(Number(got.change_seq), seqs.get(row!.id));
    }
  });

  test('rows that set different columns: each gets the defaults for what it leaves out', async () => {
    const a = { id: randomUUID(), kind: 'partner', name: 'Only name' };
    const b = { id: randomUUID(), kind: 'partner', name: 'With status', status: 'prospective', custom: { x: 1 } };
    const seqs = await db.transaction((trx) => prmAccess.insertMany(trx, 'organization', [a, b]));
    const stored = new Map((await prmAccess.byIds(db, 'organization', [a.id, b.id])).map((r) => [r.id, r]));
    assert.equal(stored.get(a.id)?.status, 'active');
    assert.deepEqual(stored.get(a.id)?.custom, {});
    assert.equal(stored.get(b.id)?.status, 'prospective');
    assert.deepEqual(stored.get(b.id)?.custom, { x: 1 });
    assert.equal(seqs.size, 2);
  });

  test('a bad row fails the whole chunk, so the caller can go record by record', async () => {
    const good = { id: randomUUID(), kind: 'partner', name: 'Good' };
    const bad = { id: randomUUID(), kind: 'not-a-kind', name: 'Bad' };
    await assert.rejects(db.transaction((trx) => prmAccess.insertMany(trx, 'organization', [good, bad])));
    assert.equal((await prmAccess.byIds(db, 'organization', [good.id])).length, 0, 'nothing of the chunk stayed');
  });

  test('links: snapshots, pending values, dates and nulls stored as given', async () => {
    const when = new Date('2026-12-07T10:11:12.345Z');
    const links = Array.from({ length: 1500 }, (_, i) => ({
      object: 'organization' as const,
      prm_id: randomUUID(),
      sf_id: `001${String(i).padStart(15, '0')}`,
      state: 'linked' as const,
      snapshot: { Name: `Org "${i}"`, Phone: null },
      sf_modstamp: i % 2 ? when : null,
      prm_change_seq: i,
      last_synced_at: when,
      needs_retry: i % 5 === 0,
      last_error: i % 5 === 0 ? 'UNABLE_TO_LOCK_ROW: try again' : null,
      pending: i % 5 === 0 ? { PRM_Id__c: 'x' } : null,
    }));
    await linksRepository.insertMany(db, links);
    const stored = new Map((await linksRepository.byPrmIds(db, 'organization', links.map((l) => l.prm_id as string))).map((l) => [l.prm_id, l]));
    assert.equal(stored.size, links.length);
    for (const link of [links[0]!, links[1]!, links[1499]!]) {
      const got = stored.get(link.prm_id)!;
      assert.equal(got.sf_id, link.sf_id);
      assert.deepEqual(got.snapshot, link.snapshot);
      assert.equal(got.sf_modstamp?.getTime() ?? null, link.sf_modstamp?.getTime() ?? null);
      assert.equal(Number(got.prm_change_seq), link.prm_change_seq);
      assert.equal(got.needs_retry, link.needs_retry);
      assert.equal(got.last_error, link.last_error);
      assert.deepEqual(got.pending ?? null, link.pending);
    }
  });
});
