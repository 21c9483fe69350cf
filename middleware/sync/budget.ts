// The API budget rules of spec §5, as a pure decision: may a job make (more) Salesforce calls now?

export interface BudgetInput {
  /** The org's usage from the last `Sforce-Limit-Info` seen, if any. */
  orgUsage: { used: number; limit: number } | null;
  /** Calls prm-sync itself made in the rolling 24 hours. */
  ownCallsLast24h: number;
  ownDailyShare: number; // e.g. 0.1 = 10 % of the org's allocation
  pauseAtOrgShare: number; // e.g. 0.8
  /** Admin-triggered work (Sync Now, Run Full Sync Now) is not held back by the own-share cap. */
  interactive: boolean;
}

export type BudgetDecision = { allowed: true } | { allowed: false; reason: 'org_near_limit' | 'own_share_used'; used: number; limit: number };

export function checkApiBudget(input: BudgetInput): BudgetDecision {
  if (!input.orgUsage || input.orgUsage.limit <= 0) return { allowed: true };
  const { used, limit } = input.orgUsage;
  if (!input.interactive && used >= limit * input.pauseAtOrgShare) return { allowed: false, reason: 'org_near_limit', used, limit };
  if (!input.interactive && input.ownCallsLast24h >= limit * input.ownDailyShare) {
    return { allowed: false, reason: 'own_share_used', used: input.ownCallsLast24h, limit };
  }
  return { allowed: true };
}
