// The trigram indexes serve queries written with the expressions middleware/prm/search.ts exports, on both
// databases, and a similarity query on those expressions finds near matches.
import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { ORGANIZATION_ADDRESS_SQL, ORGANIZATION_NAME_SQL } from '../../middleware/prm/search.ts';
import { createOrganizationRepository } from '../../middleware/prm/repositories/organizations.ts';

const database = await openTestDatabase();
after(() => database.close());

describe(`organization search indexes on ${databaseLabel()}`, () => {
  test('queries on the exported name and address expressions use the GIN trigram indexes', async () => {
    const plan = (where: string) =>
      database.db.transaction(async (trx) => {
        await trx.raw('SET LOCAL enable_seqscan = off'); // the table is tiny; make the planner show whether the index fits
        const { rows } = await trx.raw<{ rows: Array<Record<string, string>> }>(`EXPLAIN SELECT id FROM organizations WHERE ${where}`, ['acme']);
        return rows.map((row) => Object.values(row).join(' ')).join('\n');
      });
    assert.match(await plan(`${ORGANIZATION_NAME_SQL} % ?`), /organizations_name_trgm/);
    assert.match(await plan(`${ORGANIZATION_ADDRESS_SQL} % ?`), /organizations_address_trgm/);
    assert.match(await plan(`${ORGANIZATION_NAME_SQL} LIKE '%' || ? || '%'`), /organizations_name_trgm/, 'the API q filter uses it too');
  });

  test('similarity on those expressions ranks near matches first', async () => {
    const organizations = createOrganizationRepository(database.db);
    await organizations.create({ kind: 'partner', name: 'Northwind Traders Inc.', billing_street: '12 Harbor Road', billing_city: 'Seattle', billing_postal_code: '98101' });
    await organizations.create({ kind: 'partner', name: 'Contoso Ltd', billing_street: '1 Microsoft Way', billing_city: 'Redmond' });
    const byName = await database.db('organizations')
      .select('name', database.db.raw(`similarity(${ORGANIZATION_NAME_SQL}, lower(?)) as score`, ['Northwind Traders']))
      .whereRaw(`${ORGANIZATION_NAME_SQL} % lower(?)`, ['Northwind Traders'])
      .orderBy('score', 'desc');
    assert.deepEqual(byName.map((row) => row.name), ['Northwind Traders Inc.']);
    const byAddress = await database.db('organizations')
      .select('name')
      .orderByRaw(`similarity(${ORGANIZATION_ADDRESS_SQL}, lower(?)) desc`, ['12 Harbour Rd Seattle 98101'])
      .limit(1);
    assert.equal(byAddress[0]?.name, 'Northwind Traders Inc.');
  });
});
