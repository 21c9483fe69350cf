// The console in real Chromium (playwright-core, Debian's chromium; `bash scripts/ensure-chromium.sh`
// installs it): log in, run a sync and then "Run Full Sync Now" against the emulated org, watch the page
// refresh itself until the progress is gone, open the log filtered to errors, export the CSV, open a record
// page and click Sync Now. No page runs JavaScript; screenshots go to test/artifacts/.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.ts';
import { openLiveConsole, type LiveConsole } from './live-env.ts';
import { databaseLabel } from '../helpers/db.ts';

const ARTIFACTS = path.join('test', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

let live: LiveConsole;
let browser: Browser;
let page: Page;
const scriptErrors: string[] = [];

before(async () => {
  live = await openLiveConsole({ size: 20 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true, javaScriptEnabled: false });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') scriptErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await live?.close();
});

/** Waits while the Sync Manager shows a running job; the page reloads itself (meta refresh) meanwhile. */
async function waitForRunsToFinish(): Promise<number> {
  let reloads = 0;
  for (let i = 0; i < 60 && (await page.locator('[data-running-job]').count()) > 0; i += 1) {
    await page.waitForEvent('load', { timeout: 15_000 });
    reloads += 1;
  }
  assert.equal(await page.locator('[data-running-job]').count(), 0, 'the runs finished');
  return reloads;
}

test(`log in, run the sync, watch it finish (${databaseLabel()})`, async () => {
  await page.goto(`${live.baseUrl}/sync`);
  assert.match(page.url(), /\/login\?next=%2Fsync$/);
  await shot(page, '01-login');
  await page.fill('#email', ADMIN_EMAIL);
  await page.fill('#password', ADMIN_PASSWORD);
  await page.click('button:has-text("Log in")');
  assert.equal(new URL(page.url()).pathname, '/sync');

  // An incremental run first links the PRM partners, then the full sync reconciles and imports deals.
  await page.locator('tr[data-integration="organizations"] button:has-text("Run Now")').click();
  await waitForRunsToFinish();
  await page.click('button:has-text("Run Full Sync Now")');
  await page.locator('.console-flash').first().waitFor();
  assert.match(await page.locator('.console-flash').first().innerText(), /Full sync started/);
  if ((await page.locator('[data-running-job]').count()) > 0) await shot(page, '02-sync-progress');
  await waitForRunsToFinish();
  await shot(page, '03-sync-manager');
  const history = page.locator('table:has(th:has-text("Started")) tbody tr');
  assert.ok((await history.count()) >= 3, 'three runs: incremental, full reconcile, deal import');
  assert.match(await history.nth(0).innerText(), /Deal registration import\s+full\s+succeeded/);
  assert.match(await history.nth(1).innerText(), /Organizations & contacts\s+full\s+succeeded/);
  assert.equal(await page.locator('svg[role="img"] rect.chart-bar_records').count(), (await history.count()) * 1);
});

test('the log filtered to errors, and its CSV export', async () => {
  await page.click('nav a:has-text("Integration Log")');
  await page.selectOption('#level', 'error');
  await page.click('button:has-text("Apply filters")');
  assert.match(page.url(), /level=error/);
  await shot(page, '04-log-errors');
  const rows = page.locator('tr.console-log-row');
  assert.ok((await rows.count()) >= 1);
  for (const level of await page.locator('tr.console-log-row .console-badge').allInnerTexts()) assert.equal(level, 'error');
  assert.match(await rows.first().innerText(), /STRING_TOO_LONG/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Export CSV")')]);
  assert.match(download.suggestedFilename(), /^integration-log-.*\.csv$/);
  const file = path.join(ARTIFACTS, 'integration-log-errors.csv');
  await download.saveAs(file);
  const csv = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(csv.length, await rows.count());
  assert.ok(csv.every((row) => row.level === 'error'));
  assert.ok(csv.every((row) => Object.values(row).every((cell) => !/^[=+\-@\t\r]/.test(cell))));
});

test('a record page, and Sync Now', async () => {
  // The error row's record: Sync Now retries it and reports the same refusal.
  await page.click('tr.console-log-row a:has-text("PRM record")');
  assert.match(page.url(), /\/records\/organizations\/[0-9a-f-]{36}$/);
  await page.click('button:has-text("Sync Now")');
  assert.match(await page.locator('.console-flash').first().innerText(), /Synced now, with errors\.[\s\S]*STRING_TOO_LONG/);
  await shot(page, '05-record-sync-error');

  assert.match(await page.locator('.slds-page-header__detail-row').innerText(), /not yet in Salesforce/);

  await page.goto(`${live.baseUrl}/records/organizations/${live.partnerIds.plain}`);
  await shot(page, '06-record');
  assert.match(await page.locator('.slds-page-header__detail-row').innerText(), /linked/);
  await page.click('button:has-text("Sync Now")');
  assert.match(await page.locator('.console-flash').first().innerText(), /^Synced now\.\s+Nothing to write: both sides agree/);
  await shot(page, '07-record-synced');

  // The partner with markup in its name is shown as text.
  await page.goto(`${live.baseUrl}/records/organizations/${live.partnerIds.escaped}`);
  assert.equal(await page.locator('.slds-page-header__title').innerText(), '<script>alert("pwned")</script> Partners');
});

test('the settings pages, for the record', async () => {
  for (const [name, url] of [
    ['08-settings', '/settings'],
    ['09-connection', '/settings/connection'],
    ['10-metadata', '/settings/metadata'],
    ['11-mappings', '/settings/mappings'],
  ] as const) {
    const response = await page.goto(`${live.baseUrl}${url}`);
    assert.equal(response?.status(), 200, url);
    await shot(page, name);
  }
  assert.deepEqual(scriptErrors.filter((text) => !/favicon/.test(text)), [], 'no resource or CSP errors in the browser');
});
