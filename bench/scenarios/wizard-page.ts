// Scenario 6 — a matching wizard page of 50 rows with 100k records stored, through the real admin console:
// 100k PRM organizations, 100k flagged Salesforce accounts (70 % of them variants of an organization),
// "Refresh Data" as the button runs it, then GET /wizard/organizations?page=N over the whole list via
// fastify.inject. Server time of the page: routing, session, SQL and the Handlebars render (no network).
import { withEnvironment, withWorker, type ScenarioContext } from '../lib/context.ts';
import { loadNow } from '../lib/machine.ts';
import type { DatabaseKind } from '../lib/options.ts';
import { seedWizardAccounts } from '../lib/org.ts';
import type { ScenarioReport } from '../lib/results.ts';
import { formatCount, formatMb, formatMs, mean, percentile } from '../lib/stats.ts';
import type { WizardPagesResult, WizardSetupResult } from '../worker/protocol.ts';

const P95_TARGET_MS = 150;
const TARGET_RECORDS = 100_000;
const SEED = 'bench-wizard';

export interface WizardPageData {
  setup: WizardSetupResult;
  pages: WizardPagesResult;
  refreshPeakRssMb: number | null;
  pagesPeakRssMb: number | null;
  p50: number;
  p95: number;
  max: number;
  meanBytes: number;
}

export async function wizardPageReport(ctx: ScenarioContext, kind: DatabaseKind): Promise<ScenarioReport> {
  const started = { at: Date.now(), load: loadNow() };
  const records = ctx.sizes.wizardRecords;
  ctx.log(`scenario 6 (${kind}): wizard pages over ${formatCount(records)} organizations and ${formatCount(records)} accounts`);
  const data = await withEnvironment(ctx, kind, async (env) => {
    seedWizardAccounts(env.org, records, SEED);
    return withWorker(ctx, `wizard-${kind}`, env, async (worker) => {
      const setup = await worker.run({ op: 'wizardSetup', records, seed: SEED });
      ctx.log(`  Refresh Data: ${formatMs(setup.result.refreshMs)}, ${setup.result.suggestions} suggestions, ${setup.result.refreshApiCalls} API calls`);
      const pages = await worker.run({ op: 'wizardPages', pages: ctx.sizes.wizardPages });
      return {
        setup: setup.result,
        pages: pages.result,
        refreshPeakRssMb: setup.measured.peakRssMb,
        pagesPeakRssMb: pages.measured.peakRssMb,
        p50: percentile(pages.result.pagesMs, 50),
        p95: percentile(pages.result.pagesMs, 95),
        max: Math.max(...pages.result.pagesMs),
        meanBytes: mean(pages.result.bytes),
      } satisfies WizardPageData;
    });
  });
  const full = ctx.options.profile !== 'quick';
  return {
    id: 6,
    title: `Wizard page of ${data.pages.rowsPerPage} rows (${formatCount(records)} records stored)`,
    database: kind,
    tables: [
      {
        title: `GET /wizard/organizations on ${kind}`,
        columns: ['organizations / accounts', 'pages timed (of)', 'page p50', 'page p95', 'max', 'page size', 'peak RSS (pages)', 'Refresh Data', 'Refresh API calls', 'suggestions stored', 'peak RSS (Refresh)'],
        rows: [[
          `${formatCount(data.setup.organizations)} / ${formatCount(data.setup.accounts)}`,
          `${data.pages.pagesMs.length} (${formatCount(data.pages.lastPage)})`,
          formatMs(data.p50),
          formatMs(data.p95),
          formatMs(data.max),
          `${Math.round(data.meanBytes / 1000)} kB`,
          formatMb(data.pagesPeakRssMb),
          formatMs(data.setup.refreshMs),
          formatCount(data.setup.refreshApiCalls),
          formatCount(data.setup.suggestions),
          formatMb(data.refreshPeakRssMb),
        ]],
      },
    ],
    targets: [{
      scenario: 6,
      database: kind,
      name: `wizard page (${data.pages.rowsPerPage} rows) p95 server time`,
      target: `≤ ${P95_TARGET_MS} ms`,
      measured: formatMs(data.p95),
      met: full && records === TARGET_RECORDS ? data.p95 <= P95_TARGET_MS : null,
    }],
    notes: [
      'Through the admin console (middleware/app.ts buildApp on the worker\'s database) with an admin session: fastify.inject of GET /wizard/organizations?page=N for pages spread evenly from the first to the last; the time covers routing, session, the SQL of the page and the Handlebars render, not the network.',
      'Before: Refresh Data as the button runs it (POST /wizard/refresh, then polling /wizard/progress.json): all flagged accounts read into the wizard cache, suggestions computed and stored for every organization. Its wall time and API calls are shown for scale; it runs once per wizard session.',
      'Salesforce side: 70 % of the accounts are variants of a PRM organization (scripts/seed/prm-generator.ts accountVariant), 30 % unrelated companies.',
    ],
    data,
    load: { start: started.load, end: loadNow() },
    durationMs: Date.now() - started.at,
  };
}
