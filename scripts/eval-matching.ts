// `npm run eval:matching` — the matching quality harness. By default it measures the matcher on the
// Fodor's/Zagat's benchmark and on the committed synthetic partner data; `--left/--right/--truth/--map`
// measures any pair of CSV files; `--synthetic N` times blocking + scoring on N × N generated records.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MATCH_SETTINGS, validateMatchSettings, type MatchSettings } from '../middleware/matching/score.ts';
import { evaluateTrigramBaseline, type BaselineReport } from './eval/baseline.ts';
import { DatasetError, loadCsvDataset, loadFodorsZagats, parseColumnMap, type EvaluationDataset } from './eval/dataset.ts';
import { evaluateMatching, type EvaluationReport, type PairReport } from './eval/evaluate.ts';
import { FODORS_ZAGATS_DIRECTORY, loadPartnerFixture, writePartnerFixture } from './eval/fixture.ts';
import { generatePartnerDatasetOfSize } from './eval/synthetic-partners.ts';

const USAGE = `Usage: npm run eval:matching -- [options]
  (no data options)          fodors-zagats (../shared/data/fodors-zagats) and the synthetic partner fixture
  --dataset NAME             only one of: fodors-zagats, partners
  --left A.csv --right B.csv --truth PAIRS.csv
                             any two record files and a truth file (two columns: left id, right id)
  --map name=COL,street=COL,city=COL,postalCode=COL,phone=COL,website=COL
                             feature → column (default: columns named like the features)
  --id-left COL --id-right COL   id columns (default "id")
  --synthetic N              time blocking + scoring on N × N generated partner records
  --explain                  with --synthetic: also build the per-feature explanation of every suggestion
  --threads N                threads for blocking + scoring (default: all CPUs with --synthetic, else 1)
  --threshold X              score at or above which a suggestion is pre-selected (default ${DEFAULT_MATCH_SETTINGS.threshold})
  --seed N                   shuffle seed
  --errors N                 list up to N false positives and false negatives
  --baseline                 also run the plain trigram baseline (brute force; small data only)
  --json                     machine-readable output
  --write-fixture            regenerate test/fixtures/matching/partners-*.csv`;

interface Outcome {
  readonly report: EvaluationReport;
  readonly baseline?: BaselineReport;
  readonly generationMs?: number;
  readonly explained?: boolean;
  readonly threads: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      left: { type: 'string' }, right: { type: 'string' }, truth: { type: 'string' }, map: { type: 'string' },
      'id-left': { type: 'string' }, 'id-right': { type: 'string' }, dataset: { type: 'string' },
      synthetic: { type: 'string' }, threads: { type: 'string' }, threshold: { type: 'string' }, seed: { type: 'string' }, errors: { type: 'string' },
      baseline: { type: 'boolean' }, explain: { type: 'boolean' }, json: { type: 'boolean' }, 'write-fixture': { type: 'boolean' }, help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  if (values['write-fixture']) {
    const dataset = writePartnerFixture();
    return void console.log(`Wrote ${dataset.left.length} PRM, ${dataset.right.length} Salesforce records, ${dataset.truth.length} true pairs`);
  }
  const settings = validateMatchSettings({ ...DEFAULT_MATCH_SETTINGS, threshold: values.threshold === undefined ? DEFAULT_MATCH_SETTINGS.threshold : numberOption('--threshold', values.threshold) });
  const seed = values.seed === undefined ? undefined : numberOption('--seed', values.seed);
  const outcomes: Outcome[] = [];
  if (values.synthetic !== undefined) {
    const size = numberOption('--synthetic', values.synthetic);
    if (!Number.isInteger(size) || size < 1) throw new DatasetError('--synthetic needs a positive whole number');
    const started = performance.now();
    const dataset = generatePartnerDatasetOfSize(size);
    const generationMs = performance.now() - started;
    // Scores only, unless asked: the wizard explains the 50 suggestions of a page, not all of them at once.
    const threads = values.threads === undefined ? availableParallelism() : numberOption('--threads', values.threads);
    const report = await evaluateMatching(dataset, settings, { seed, threads, explain: values.explain ?? false });
    outcomes.push({ report, generationMs, explained: values.explain ?? false, threads });
  } else {
    const threads = values.threads === undefined ? 1 : numberOption('--threads', values.threads);
    for (const dataset of selectDatasets(values)) {
      const report = await evaluateMatching(dataset, settings, { seed, threads });
      outcomes.push({ report, baseline: values.baseline ? evaluateTrigramBaseline(dataset) : undefined, threads });
    }
  }
  const errorLimit = values.errors === undefined ? 0 : numberOption('--errors', values.errors);
  if (values.json) console.log(JSON.stringify(outcomes.map((outcome) => withoutErrors(outcome, errorLimit)), null, 2));
  else for (const outcome of outcomes) printOutcome(outcome, settings, errorLimit);
}

function selectDatasets(values: Record<string, string | boolean | undefined>): EvaluationDataset[] {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (text('left') !== undefined || text('right') !== undefined || text('truth') !== undefined) {
    const [left, right, truth] = [text('left'), text('right'), text('truth')];
    if (!left || !right || !truth) throw new DatasetError('--left, --right and --truth go together');
    const map = text('map');
    return [loadCsvDataset({ left, right, truth, map: map === undefined ? undefined : parseColumnMap(map), idLeft: text('id-left'), idRight: text('id-right') })];
  }
  const which = text('dataset') ?? 'all';
  if (!['all', 'fodors-zagats', 'partners'].includes(which)) throw new DatasetError(`--dataset must be fodors-zagats or partners, got "${which}"`);
  const datasets: EvaluationDataset[] = [];
  if (which !== 'partners') datasets.push(loadFodorsZagats(FODORS_ZAGATS_DIRECTORY));
  if (which !== 'fodors-zagats') datasets.push(loadPartnerFixture());
  return datasets;
}

function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new DatasetError(`${name} needs a number, got "${text}"`);
  return value;
}

function withoutErrors(outcome: Outcome, limit: number) {
  const { errors, ...report } = outcome.report;
  const cut = { falsePositives: errors.falsePositives.slice(0, limit), falseNegatives: errors.falseNegatives.slice(0, limit) };
  return { ...outcome, report: limit > 0 ? { ...report, errors: cut } : report };
}

const fixed = (value: number, digits = 3) => value.toFixed(digits);

function printOutcome({ report, baseline, generationMs, explained, threads }: Outcome, settings: MatchSettings, errorLimit: number): void {
  console.log(`\n== ${report.dataset} ==`);
  console.log(`records: ${report.leftRecords} left × ${report.rightRecords} right, ${report.truePairs} true pairs`);
  console.log(`threshold ${settings.threshold}: predicted ${report.predictedPairs} (true ${report.truePositives}, false ${report.falsePositives}), missed ${report.falseNegatives}`);
  console.log(`precision ${fixed(report.precision)}  recall ${fixed(report.recall)}  F1 ${fixed(report.f1)}  top-5 recall ${fixed(report.top5Recall)}`);
  const work = `normalize ${Math.round(report.normalizeMs)} ms + block + score + assign${explained === false ? ', scores only' : ' + explain'}`;
  const generation = generationMs === undefined ? '' : `; data generation ${Math.round(generationMs)} ms`;
  const cpu = `${Math.round(report.cpuMs)} ms CPU${threads === 1 ? '' : ' summed over threads'}`;
  console.log(`time: ${Math.round(report.elapsedMs)} ms wall on ${threads} thread${threads === 1 ? '' : 's'}, ${cpu} (${work})${generation}`);
  if (baseline) console.log(`trigram baseline (best threshold ${fixed(baseline.threshold, 3)}): precision ${fixed(baseline.precision)}  recall ${fixed(baseline.recall)}  F1 ${fixed(baseline.f1)}`);
  const show = (title: string, pairs: readonly PairReport[]) => {
    if (errorLimit <= 0 || pairs.length === 0) return;
    console.log(`${title}:`);
    for (const pair of pairs.slice(0, errorLimit)) {
      console.log(`  ${pair.score === null ? 'not in top 5' : fixed(pair.score)}  ${describe(pair.left)}\n         ${describe(pair.right)}`);
    }
  };
  show('false positives', report.errors.falsePositives);
  show('false negatives', report.errors.falseNegatives);
}

function describe(record: PairReport['left']): string {
  return [record.name, record.street, record.city, record.postalCode, record.phone, record.website].map((value) => value ?? '').join(' | ');
}

main().catch((error: unknown) => {
  if (error instanceof DatasetError || error instanceof RangeError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`eval:matching: ${(error as Error).message}`);
    process.exit(2);
  }
  throw error;
});
