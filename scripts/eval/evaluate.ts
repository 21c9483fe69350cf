// Runs the matcher on a labelled data set and measures it: precision, recall and F1 of the one-to-one
// assignment at the threshold, and top-5 recall of the suggestions. Rows are shuffled with a fixed seed first,
// so nothing can lean on file order; ids are only used to look the answers up afterwards.
import { performance } from 'node:perf_hooks';
import type { MatchResult } from '../../middleware/matching/match.ts';
import { normalizeRecord } from '../../middleware/matching/normalize.ts';
import { matchNormalizedInParallel, type ParallelMatchOptions } from '../../middleware/matching/parallel.ts';
import type { MatchSettings } from '../../middleware/matching/score.ts';
import type { MatchRecord } from '../../middleware/matching/types.ts';
import type { EvaluationDataset } from './dataset.ts';
import { seededRandom, shuffled } from './random.ts';

export const DEFAULT_SHUFFLE_SEED = 20240207;

export interface PairReport {
  readonly left: MatchRecord;
  readonly right: MatchRecord;
  readonly score: number | null;
}

export interface EvaluationReport {
  readonly dataset: string;
  readonly threshold: number;
  readonly leftRecords: number;
  readonly rightRecords: number;
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly top5Recall: number;
  readonly elapsedMs: number;
  /** Wall time of normalization alone (part of `elapsedMs`); stored records carry it already. */
  readonly normalizeMs: number;
  /** CPU time of this process over the same span (less sensitive to other load on the machine). */
  readonly cpuMs: number;
  readonly errors: { readonly falsePositives: readonly PairReport[]; readonly falseNegatives: readonly PairReport[] };
}

export interface EvaluationOptions extends ParallelMatchOptions {
  readonly seed?: number;
}

/** Threads default to 1 here, so that quality figures never depend on the machine. */
export async function evaluateMatching(dataset: EvaluationDataset, settings: MatchSettings, options: EvaluationOptions = {}): Promise<EvaluationReport> {
  const random = seededRandom(options.seed ?? DEFAULT_SHUFFLE_SEED);
  const left = shuffled(dataset.left, random);
  const right = shuffled(dataset.right, random);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const leftNormalized = left.map(normalizeRecord);
  const rightNormalized = right.map(normalizeRecord);
  const normalizeMs = performance.now() - started;
  const result = await matchNormalizedInParallel(leftNormalized, rightNormalized, settings, { threads: 1, ...options });
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { dataset: dataset.label, threshold: settings.threshold, elapsedMs, normalizeMs, cpuMs, ...measure(dataset, result) };
}

type Measures = Omit<EvaluationReport, 'dataset' | 'threshold' | 'elapsedMs' | 'normalizeMs' | 'cpuMs'>;

/** Scores a match result against the truth pairs. Pure. */
export function measure(dataset: EvaluationDataset, result: MatchResult): Measures {
  const key = (leftId: string, rightId: string) => `${leftId}\u0000${rightId}`;
  const truth = new Set(dataset.truth.map(([leftId, rightId]) => key(leftId, rightId)));
  const leftById = new Map(dataset.left.map((record) => [record.id, record]));
  const rightById = new Map(dataset.right.map((record) => [record.id, record]));
  const suggested = new Map(result.suggestions.map((entry) => [entry.leftId, entry.suggestions]));

  const predicted = new Set(result.assignment.map((pair) => key(pair.leftId, pair.rightId)));
  const falsePositives = result.assignment.filter((pair) => !truth.has(key(pair.leftId, pair.rightId)));
  const truePositives = result.assignment.length - falsePositives.length;
  const missed = dataset.truth.filter(([leftId, rightId]) => !predicted.has(key(leftId, rightId)));
  const inTop5 = dataset.truth.filter(([leftId, rightId]) => (suggested.get(leftId) ?? []).some((s) => s.rightId === rightId)).length;

  const precision = result.assignment.length === 0 ? 0 : truePositives / result.assignment.length;
  const recall = dataset.truth.length === 0 ? 0 : truePositives / dataset.truth.length;
  const report = (leftId: string, rightId: string, score: number | null): PairReport => ({
    left: leftById.get(leftId) ?? { id: leftId },
    right: rightById.get(rightId) ?? { id: rightId },
    score,
  });
  return {
    leftRecords: dataset.left.length,
    rightRecords: dataset.right.length,
    truePairs: dataset.truth.length,
    predictedPairs: result.assignment.length,
    truePositives,
    falsePositives: falsePositives.length,
    falseNegatives: missed.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    top5Recall: dataset.truth.length === 0 ? 0 : inTop5 / dataset.truth.length,
    errors: {
      falsePositives: falsePositives.map((pair) => report(pair.leftId, pair.rightId, pair.score)),
      falseNegatives: missed.map(([leftId, rightId]) => {
        const score = (suggested.get(leftId) ?? []).find((s) => s.rightId === rightId)?.score ?? null;
        return report(leftId, rightId, score);
      }),
    },
  };
}
