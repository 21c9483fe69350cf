// The messages between the benchmark orchestrator and a prm-sync worker process. The worker is "the
// prm-sync process": it owns the database (PGlite lives in its memory) and talks to the emulated org over
// loopback, so its memory and CPU figures are prm-sync's alone.
import type { DatabaseConfig } from '../../middleware/config.ts';

export interface SalesforceTarget {
  url: string;
  accessToken: string;
  /** For a connection stored as the OAuth flow stores it (the admin console's wizard). */
  refreshToken?: string;
  username?: string;
  orgId?: string;
}

export interface SyncCycleResult {
  status: string;
  error: string | null;
  counts: Record<string, number>;
  apiCalls: number;
  apiCallsByEndpoint: Record<string, number>;
}

export interface NaiveLoopResult {
  accounts: number;
  contacts: number;
  queries: number;
  writes: number;
}

export interface SyncNowResult {
  /** Wall time of each Sync Now, in order. */
  runsMs: number[];
  apiCallsPerRun: number[];
  errors: string[];
}

export interface DealWorldAccount {
  sfId: string;
  contactSfIds: string[];
}

export interface DealImportResult {
  status: string;
  error: string | null;
  counts: Record<string, number>;
  apiCalls: number;
  apiCallsByEndpoint: Record<string, number>;
}

export interface WizardSetupResult {
  organizations: number;
  /** Flagged accounts Refresh Data read into the wizard's cache. */
  accounts: number;
  suggestions: number;
  refreshApiCalls: number;
  seedMs: number;
  /** "Refresh Data": the Salesforce cache, then suggestions for every organization. */
  refreshMs: number;
}

export interface WizardPagesResult {
  pagesMs: number[];
  bytes: number[];
  /** Unlinked organizations the list shows. */
  total: number;
  lastPage: number;
  rowsPerPage: number;
}

export interface MatchingResult {
  left: number;
  right: number;
  truePairs: number;
  generationMs: number;
  elapsedMs: number;
  normalizeMs: number;
  cpuMs: number;
  threads: number;
  precision: number;
  recall: number;
  f1: number;
  top5Recall: number;
}

export type WorkerCommand =
  | { op: 'open'; database: DatabaseConfig; salesforce: SalesforceTarget | null; overlapMs?: number }
  | { op: 'seedPrm'; accounts: number; seed: string }
  | { op: 'countPrm' }
  | { op: 'cycle'; mode: 'incremental' | 'full' }
  | { op: 'changePrm'; organizations: number; contacts: number; offset: number }
  | { op: 'resetSync' }
  | { op: 'naiveLoop'; accounts: number }
  | { op: 'exportCsv'; directory: string }
  | { op: 'syncNow'; runs: number }
  | { op: 'seedDealWorld'; accounts: DealWorldAccount[] }
  | { op: 'dealImport' }
  | { op: 'wizardSetup'; records: number; seed: string }
  | { op: 'wizardPages'; pages: number }
  | { op: 'matching'; size: number; threads: number }
  | { op: 'close' };

export type WorkerResult<C extends WorkerCommand['op']> = C extends 'cycle'
  ? SyncCycleResult
  : C extends 'naiveLoop'
    ? NaiveLoopResult
    : C extends 'syncNow'
      ? SyncNowResult
      : C extends 'dealImport'
        ? DealImportResult
        : C extends 'wizardSetup'
          ? WizardSetupResult
          : C extends 'wizardPages'
            ? WizardPagesResult
            : C extends 'matching'
              ? MatchingResult
              : C extends 'countPrm'
                ? { organizations: number; contacts: number; links: number }
                : C extends 'exportCsv'
                  ? { accounts: string; contacts: string; accountRows: number; contactRows: number }
                  : C extends 'seedPrm'
                    ? { organizations: number; contacts: number }
                    : null;

/** What the worker measured around one command. */
export interface Measured {
  wallMs: number;
  /** CPU time of the whole worker process (all its threads) during the command. */
  cpuMs: number;
  /** Peak resident memory during the command: the kernel's high-water mark, reset just before it starts. */
  peakRssMb: number | null;
  rssAfterMb: number;
}

export type WorkerReply = { id: number; ok: true; result: unknown; measured: Measured } | { id: number; ok: false; error: string };

export interface WorkerRequest {
  id: number;
  command: WorkerCommand;
}
