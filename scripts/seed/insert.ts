// Writes generated PRM seed data in one transaction, in batches (multi-row inserts), each row taking its
// change_seq like any other write. Either all of it is stored or none.
import type { Knex } from 'knex';
import type { PrmSeedData } from './prm-generator.ts';

const BATCH = 500;
const PRM_TABLES = ['group_members', 'deal_registrations', 'contacts', 'groups', 'organizations'] as const;

export interface SeedCounts {
  organizations: number;
  contacts: number;
  users: number;
  groups: number;
  memberships: number;
}

async function insertInBatches(trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) await trx(table).insert(rows.slice(start, start + BATCH));
}

/** Rows already in the PRM tables (to refuse seeding on top of real data). */
export async function countPrmRows(db: Knex): Promise<number> {
  let total = 0;
  for (const table of PRM_TABLES) {
    const [row] = await db(table).count<Array<{ count: string | number }>>({ count: '*' });
    total += Number(row?.count ?? 0);
  }
  return total;
}

/** Deletes every PRM row (organizations, contacts, groups, memberships, deals); the sequence keeps counting. */
export async function clearPrmData(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    for (const table of PRM_TABLES) await trx(table).delete();
  });
}

export async function insertPrmSeed(db: Knex, data: PrmSeedData): Promise<SeedCounts> {
  await db.transaction(async (trx) => {
    const changeSeq = () => trx.raw("nextval('prm_change_seq')");
    await insertInBatches(
      trx,
      'organizations',
      data.organizations.map((organization) => ({ ...organization, custom: JSON.stringify(organization.custom), change_seq: changeSeq() })),
    );
    await insertInBatches(trx, 'contacts', data.contacts.map((contact) => ({ ...contact, change_seq: changeSeq() })));
    await insertInBatches(trx, 'groups', data.groups.map((group) => ({ ...group })));
    await insertInBatches(trx, 'group_members', data.memberships);
  });
  return {
    organizations: data.organizations.length,
    contacts: data.contacts.length,
    users: data.contacts.filter((contact) => contact.is_user).length,
    groups: data.groups.length,
    memberships: data.memberships.length,
  };
}
