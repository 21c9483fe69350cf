// All PRM repositories over one knex instance or one open transaction: inside
// `db.transaction(async (trx) => { const prm = createPrmRepositories(trx); … })` every write commits together.
import { createContactRepository } from './contacts.ts';
import { createDealRepository } from './deals.ts';
import { createGroupRepository } from './groups.ts';
import { createOrganizationRepository } from './organizations.ts';
import type { Queryable } from './shared.ts';

export function createPrmRepositories(db: Queryable) {
  return {
    organizations: createOrganizationRepository(db),
    contacts: createContactRepository(db),
    groups: createGroupRepository(db),
    deals: createDealRepository(db),
  };
}

export type PrmRepositories = ReturnType<typeof createPrmRepositories>;
export type { Page, PageRequest } from './pagination.ts';
export { toChangeSeq, normalizeEmail, type Queryable, type WriteOptions } from './shared.ts';
