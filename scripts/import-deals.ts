// `npm run import-deals -- [--full] [--dry-run]`: runs the opportunity → deal registration import once,
// with progress per page and a summary. Incremental by default (opportunities changed since the last run);
// --full reads every candidate opportunity; --dry-run writes nothing anywhere and lists what would happen.
// Salesforce credentials come from the SF_* variables (username + password grant for now).
import { loadConfig, ConfigError, type Config } from '../middleware/config.ts';
import { openDatabase } from '../middleware/db/knex.ts';
import { migrateToLatest } from '../middleware/db/migrate.ts';
import { connectSalesforce, type SalesforceSession } from '../middleware/salesforce/connection.ts';
import { defaultDealImportPlan } from '../middleware/deals/plan.ts';
import { describeDealCounts } from '../middleware/deals/importer.ts';
import { runDealImport, DEAL_IMPORT_JOB, type DealImportSummary } from '../middleware/jobs/deal-import.ts';
import { withAdvisoryLock } from '../middleware/jobs/advisory-lock.ts';

const USAGE = 'Usage: npm run import-deals -- [--full] [--dry-run]';

function parseArgs(argv: readonly string[]): { full: boolean; dryRun: boolean } {
  const known = new Set(['--full', '--dry-run', '--help', '-h']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(', ')}.\n${USAGE}`);
    process.exit(2);
  }
  return { full: argv.includes('--full'), dryRun: argv.includes('--dry-run') };
}

/** The lead unifies credential handling (stored OAuth tokens); until then: the SF_* password grant. */
function openSessionFrom(config: Config): () => Promise<SalesforceSession> {
  const sf = config.salesforce;
  if (!sf) throw new ConfigError(['No Salesforce connection: set SF_LOGIN_URL, SF_CLIENT_ID, SF_CLIENT_SECRET, SF_USERNAME and SF_PASSWORD.']);
  if (!sf.username || !sf.password) {
    throw new ConfigError(['The deal import from the command line logs in with SF_USERNAME and SF_PASSWORD (plus SF_CLIENT_ID/SF_CLIENT_SECRET); JWT login is not supported here yet.']);
  }
  return () =>
    connectSalesforce(
      { loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret, username: sf.username, password: sf.password },
      { apiVersion: sf.apiVersion },
    );
}

function printSummary(summary: DealImportSummary): void {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  console.log(`\n${summary.dryRun ? 'Dry run' : 'Run'} ${summary.status} in ${seconds} s (${summary.mode}${summary.runId ? `, run ${summary.runId}` : ''}).`);
  console.log(describeDealCounts(summary.counts, summary.apiCalls));
  console.log('API calls by endpoint:', JSON.stringify(summary.apiCallsByEndpoint));
  if (summary.error) console.error(`Error: ${summary.error}`);
  if (!summary.dryRun) {
    if (summary.counts.failedRules > 0) console.log('Why opportunities were not imported: see the Integration Log (/log), filtered by this run.');
    return;
  }
  const shown = summary.planned.slice(0, 50);
  for (const item of shown) {
    const what = item.outcome === 'ineligible' ? `not eligible: ${item.codes.join(', ')}` : `would be ${item.outcome}`;
    console.log(`  ${item.opportunityId}  ${item.opportunity} — ${what}`);
  }
  if (summary.planned.length > shown.length) console.log(`  … and ${summary.planned.length - shown.length} more`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const openSession = openSessionFrom(config);
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const plan = defaultDealImportPlan({ publicUrl: config.publicUrl });
    const mode = args.full ? 'full' : 'incremental';
    console.log(`Importing deals from opportunities (${mode}${args.dryRun ? ', dry run' : ''})…`);
    const run = () =>
      runDealImport(database.db, openSession, plan, {
        mode,
        dryRun: args.dryRun,
        interactive: true,
        onPageDone: ({ counts, total }) =>
          console.log(`  page ${counts.pages}: ${counts.read}/${total} read — ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.ineligible} not eligible`),
      });
    let summary: DealImportSummary;
    if (args.dryRun) summary = await run();
    else {
      const locked = await withAdvisoryLock(database.db, database.kind, DEAL_IMPORT_JOB, run);
      if (!locked.acquired) {
        console.error('Another deal import is running right now (advisory lock held); try again when it has finished.');
        return 3;
      }
      summary = locked.value;
    }
    printSummary(summary);
    return summary.status === 'succeeded' || summary.status === 'skipped' ? 0 : 1;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else throw error;
}
