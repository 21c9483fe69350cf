// Scenario 5: the matching library on N × N synthetic partner organizations with the variations real data
// has (scripts/eval/synthetic-partners.ts), measured by the quality harness against the generator's truth:
// normalization, blocking, scoring and the one-to-one assignment, scores only (the wizard explains a page
// at a time, see wizard.ts).
import { performance } from 'node:perf_hooks';
import { DEFAULT_MATCH_SETTINGS } from '../../middleware/matching/score.ts';
import { evaluateMatching } from '../../scripts/eval/evaluate.ts';
import { generatePartnerDatasetOfSize } from '../../scripts/eval/synthetic-partners.ts';
import type { MatchingResult } from './protocol.ts';

export async function matchingRun(size: number, threads: number): Promise<MatchingResult> {
  const generated = performance.now();
  const dataset = generatePartnerDatasetOfSize(size);
  const generationMs = performance.now() - generated;
  const report = await evaluateMatching(dataset, DEFAULT_MATCH_SETTINGS, { threads, explain: false });
  return {
    left: report.leftRecords,
    right: report.rightRecords,
    truePairs: report.truePairs,
    generationMs,
    elapsedMs: report.elapsedMs,
    normalizeMs: report.normalizeMs,
    cpuMs: report.cpuMs,
    threads,
    precision: report.precision,
    recall: report.recall,
    f1: report.f1,
    top5Recall: report.top5Recall,
  };
}
