// What the crash-recovery test tells its child process (one JSON environment variable), shared by both.
import type { DatabaseConfig } from '../../../middleware/config.ts';

export interface ChildSettings {
  job: 'sync' | 'deals' | 'wizard';
  database: DatabaseConfig;
  salesforce: { url: string; accessToken: string; refreshToken: string };
  bulkThreshold: number;
  maxCycles: number;
  /** Kill this process right after the N-th Salesforce write call returned (0: never). */
  crashAfterWrites: number;
  /** Deal import: Salesforce stage → PRM stage. */
  dealStageMap: Array<{ sf: string; prm: string }>;
  /** Wizard apply: decisions per batch (small, so that kills land between batches and inside them). */
  wizardBatchSize?: number;
}

export const CHILD_SETTINGS_VARIABLE = 'PRM_RELIABILITY_CHILD';
