// Login lockout policy, pure: after MAX_FAILED_LOGINS wrong passwords in a row an account is locked for
// LOCKOUT_MINUTES, whatever password is tried; a successful login resets the count.

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMinutes: 15 };

export interface LockState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more wrong password. Reaching the limit locks the account and restarts the count. */
export function afterFailedLogin(state: LockState, now: Date, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockState {
  // A lock that has run out starts a fresh count rather than re-locking on the next single mistake.
  const previous = state.lockedUntil !== null && !isLocked(state, now) ? 0 : state.failedLogins;
  const failedLogins = previous + 1;
  if (failedLogins >= policy.maxFailures) {
    return { failedLogins: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  }
  return { failedLogins, lockedUntil: state.lockedUntil !== null && isLocked(state, now) ? state.lockedUntil : null };
}
