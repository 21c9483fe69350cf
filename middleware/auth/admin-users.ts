// Admin users of the console: the first one comes from PRM_SYNC_ADMIN_EMAIL/PASSWORD on first start;
// logins are checked against scrypt hashes with a lockout after repeated failures.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AdminUserRow } from '../db/tables.ts';
import { afterFailedLogin, DEFAULT_LOCKOUT, isLocked, type LockoutPolicy } from './lockout.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password.ts';

export type LoginResult =
  | { outcome: 'ok'; user: AdminUser }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; until: Date };

export interface AdminUser {
  id: string;
  email: string;
}

export const normalizeAdminEmail = (email: string) => email.trim().toLowerCase();

export function createAdminUserRepository(db: Knex, policy: LockoutPolicy = DEFAULT_LOCKOUT) {
  const byEmail = async (email: string) => (await db<AdminUserRow>('admin_users').where({ email: normalizeAdminEmail(email) }).first()) as AdminUserRow | undefined;

  return {
    async count(): Promise<number> {
      const row = await db('admin_users').count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    async create(email: string, password: string): Promise<AdminUser> {
      const [row] = await db<AdminUserRow>('admin_users')
        .insert({ id: randomUUID(), email: normalizeAdminEmail(email), password_hash: await hashPassword(password) })
        .returning(['id', 'email']);
      return row as AdminUser;
    },

    /**
     * Creates the first admin when there is none yet; later starts leave the table alone, so a password
     * changed in the console is not reset by the environment. Concurrent replicas insert at most one row.
     */
    async ensureFirstAdmin(email: string | undefined, password: string | undefined): Promise<'created' | 'exists' | 'not_configured'> {
      if (!email || !password) return (await this.count()) > 0 ? 'exists' : 'not_configured';
      if ((await this.count()) > 0) return 'exists';
      const inserted = await db('admin_users')
        .insert({ id: randomUUID(), email: normalizeAdminEmail(email), password_hash: await hashPassword(password) })
        .onConflict('email')
        .ignore()
        .returning('id');
      return inserted.length > 0 ? 'created' : 'exists';
    },

    async get(id: string): Promise<AdminUser | undefined> {
      return (await db('admin_users').select('id', 'email').where({ id }).first()) as AdminUser | undefined;
    },

    async verifyLogin(email: string, password: string, now = new Date()): Promise<LoginResult> {
      const row = await byEmail(email);
      if (!row) {
        await verifyPassword(password, await decoyPasswordHash());
        return { outcome: 'invalid' };
      }
      const state = { failedLogins: row.failed_logins, lockedUntil: row.locked_until ? new Date(row.locked_until) : null };
      if (isLocked(state, now)) return { outcome: 'locked', until: state.lockedUntil as Date };
      if (await verifyPassword(password, row.password_hash)) {
        if (row.failed_logins !== 0 || row.locked_until !== null) {
          await db('admin_users').where({ id: row.id }).update({ failed_logins: 0, locked_until: null });
        }
        return { outcome: 'ok', user: { id: row.id, email: row.email } };
      }
      const next = afterFailedLogin(state, now, policy);
      await db('admin_users').where({ id: row.id }).update({ failed_logins: next.failedLogins, locked_until: next.lockedUntil });
      return next.lockedUntil && isLocked(next, now) ? { outcome: 'locked', until: next.lockedUntil } : { outcome: 'invalid' };
    },
  };
}

export type AdminUserRepository = ReturnType<typeof createAdminUserRepository>;
