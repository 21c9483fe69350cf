// The matching wizard in real Chromium (playwright-core, Debian's chromium) with JavaScript off, on demo-like
// data against the emulated org: Get Started (Refresh Data, watched through the page's own reloads), link
// a suggestion, Select Other, Create New, Don't Sync, Create in PRM, contacts, review, apply; then both
// Salesforce (emulator) and the PRM database hold the merged values. Screenshots of every page go to
// test/artifacts/wizard-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.ts';
import { openWizard, type WizardUnderTest } from './wizard-env.ts';
import { databaseLabel } from '../helpers/db.ts';

const ARTIFACTS = path.join('test', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `wizard-${name}.png`), fullPage: true });

let w: WizardUnderTest & { baseUrl: string | null };
let browser: Browser;
let page: Page;
const browserErrors: string[] = [];
const chosen: Record<string, { prmId: string; sfId?: string; name?: string }> = {};

before(async () => {
  w = await openWizard({ size: 30, seed: 'demo', listen: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, javaScriptEnabled: false });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await w?.close();
});

const url = (pathname: string) => `${w.baseUrl}${pathname}`;
const db = () => w.database.db;

/** While a wizard task runs the page shows its progress and reloads itself (meta refresh). */
async function waitForTask(): Promise<number> {
  let reloads = 0;
  for (let i = 0; i < 60 && (await page.locator('[data-wizard-progress]').count()) > 0; i += 1) {
    await page.waitForEvent('load', { timeout: 15_000 });
    reloads += 1;
  }
  assert.equal(await page.locator('[data-wizard-progress]').count(), 0, 'the task finished');
  return reloads;
}

const flashText = async () => (await page.locator('.console-flash').first().innerText()).trim();

test(`log in, prepare, Get Started (${databaseLabel()})`, async () => {
  await page.goto(url('/wizard'));
  assert.match(page.url(), /\/login\?next=%2Fwizard$/);
  await page.fill('#email', ADMIN_EMAIL);
  await page.fill('#password', ADMIN_PASSWORD);
  await page.click('button:has-text("Log in")');
  assert.equal(new URL(page.url()).pathname, '/wizard');
  assert.equal(await page.locator('[data-check="connection"]').getAttribute('data-state'), 'ok');
  assert.equal(await page.locator('[data-check="metadata"]').getAttribute('data-state'), 'ok');
  await shot(page, '01-preparation');

  await page.click('button:has-text("Get Started")');
  assert.equal(new URL(page.url()).pathname, '/wizard/organizations');
  if ((await page.locator('[data-wizard-progress]').count()) > 0) await shot(page, '02-refreshing');
  await waitForTask();
  assert.match(await page.locator('.wz-head').innerText(), /Salesforce data read/);
  assert.ok((await page.locator('[data-org][data-decision="link"]').count()) >= 10, 'clear matches are pre-selected');
  await shot(page, '03-organizations');
});

test('link a suggestion, Select Other, Create New, Don\u2019t Sync, Create in PRM', async () => {
  // Link a suggestion: reset a pre-selected organization, then pick its top suggestion again by hand.
  const preselected = page.locator('[data-org][data-decision="link"]').first();
  const linkPrmId = (await preselected.getAttribute('data-org')) as string;
  await preselected.locator('button:has-text("Reset")').click();
  const reset = page.locator(`[data-org="${linkPrmId}"]`);
  assert.equal(await reset.getAttribute('data-decision'), 'undecided');
  const suggestionId = (await reset.locator('[data-suggestion]').first().getAttribute('data-suggestion')) as string;
  await reset.locator('[data-suggestion]').first().locator('button:has-text("Link")').click();
  assert.match(await flashText(), /will be linked to Salesforce account/);
  assert.equal(await page.locator(`[data-org="${linkPrmId}"]`).getAttribute('data-decision'), 'link');
  chosen.suggestion = { prmId: linkPrmId, sfId: suggestionId };

  // The undecided organizations and the accounts nobody chose.
  await page.goto(url('/wizard/organizations?decision=undecided'));
  const undecided = await page.locator('[data-org]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-org') as string));
  assert.ok(undecided.length >= 3, `undecided organizations: ${undecided.length}`);
  await page.click('[data-tab="accounts"]');
  const free = await page.locator('#accounts [data-account]').evaluateAll((rows) => rows.map((row) => ({ id: row.getAttribute('data-account') as string, name: (row.querySelector('th strong')?.textContent ?? '').trim(), categorized: !row.textContent?.includes('Not categorized') })));
  assert.ok(free.length >= 2, 'Salesforce-only partners are listed');
  const [other, toCreate] = [free[0], free.find((account, index) => index > 0 && account.categorized)] as [{ id: string; name: string }, { id: string; name: string }];
  assert.ok(toCreate, 'a categorized Salesforce-only partner');

  // Select Other: search the cache by (part of) the name, link the hit.
  const [selectId, createId, skipId] = undecided as [string, string, string];
  await page.goto(url('/wizard/organizations?decision=undecided'));
  await page.locator(`[data-org="${selectId}"] a:has-text("Select Other")`).click();
  assert.match(page.url(), new RegExp(`/wizard/organizations/${selectId}/select`));
  await page.fill('#q', other.name.split(' ').slice(0, 2).join(' '));
  await page.click('button:has-text("Search")');
  await shot(page, '04-select-other');
  await page.locator(`[data-hit="${other.id}"] button:has-text("Link")`).click();
  assert.match(await flashText(), new RegExp(`will be linked to Salesforce account “${other.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`));
  assert.equal(await page.locator(`[data-org="${selectId}"]`).count(), 0, 'back on the undecided list, which it has left');
  await page.goto(url('/wizard/organizations'));
  assert.equal(await page.locator(`[data-org="${selectId}"] [data-chosen]`).getAttribute('data-chosen'), other.id);
  chosen.other = { prmId: selectId, sfId: other.id };

  await page.locator(`[data-org="${createId}"] button:has-text("Create New in Salesforce")`).click();
  assert.equal(await page.locator(`[data-org="${createId}"]`).getAttribute('data-decision'), 'create_new');
  chosen.createNew = { prmId: createId };
  await page.locator(`[data-org="${skipId}"] button:has-text("Don't Sync")`).click();
  assert.equal(await page.locator(`[data-org="${skipId}"]`).getAttribute('data-decision'), 'dont_sync');
  chosen.dontSync = { prmId: skipId };

  await page.goto(url('/wizard/organizations?view=accounts'));
  await page.locator(`#accounts [data-account="${toCreate.id}"] button:has-text("Create in PRM")`).click();
  assert.equal(await page.locator(`#accounts [data-account="${toCreate.id}"]`).getAttribute('data-decision'), 'create_in_prm');
  chosen.createInPrm = { prmId: '', sfId: toCreate.id, name: toCreate.name };

  // Saved as we went: the database holds every decision.
  const decisions = await db()('wizard_org_decisions').whereIn('prm_id', [linkPrmId, selectId, createId, skipId]).select('prm_id', 'decision', 'sf_id');
  const byId = Object.fromEntries(decisions.map((row: { prm_id: string; decision: string; sf_id: string | null }) => [row.prm_id, [row.decision, row.sf_id]]));
  assert.deepEqual(byId, { [linkPrmId]: ['link', suggestionId], [selectId]: ['link', other.id], [createId]: ['create_new', null], [skipId]: ['dont_sync', null] });
  await shot(page, '05-accounts-decided');
  await page.goto(url('/wizard/organizations'));
  await shot(page, '06-organizations-decided');
});

test('contacts and the merge preview', async () => {
  await page.click('.wz-steps a:has-text("Contacts")');
  assert.ok((await page.locator('[data-kind="match"]').count()) >= 1, 'email matches');
  await shot(page, '07-contacts');
  await page.click('.wz-steps a:has-text("Review")');
  assert.ok((await page.locator('[data-preview]').count()) >= 1);
  assert.match(await page.locator('.wz-preview').first().innerText(), /Same on both sides|Non-empty wins|master system/);
  await shot(page, '08-review');
});

test('apply, watch the progress, read the confirmation; both sides hold the merged values', async () => {
  await page.click('.wz-steps a:has-text("Confirm")');
  await shot(page, '09-confirm');
  await page.click('button:has-text("Apply decisions")');
  assert.equal(new URL(page.url()).pathname, '/wizard/confirm');
  if ((await page.locator('[data-wizard-progress]').count()) > 0) await shot(page, '10-applying');
  await waitForTask();
  assert.equal(await page.locator('[data-apply-finished]').count(), 1);
  assert.match(await page.locator('[data-apply-finished]').innerText(), /the wizard is complete and the scheduled sync has started/);
  const linked = Number(await page.locator('[data-applied="organizationsLinked"]').innerText());
  assert.ok(linked >= 10, `linked ${linked}`);
  assert.equal(await page.locator('[data-applied="accountsCreatedInPrm"]').innerText(), '1');
  await shot(page, '11-confirmation');
  assert.ok(await db()('integration_state').where({ key: 'wizard_completed_at' }).first(), 'the scheduled sync may start');

  // Every link: the PRM row and the Salesforce account agree on every mapped field.
  const fields: Array<[string, string]> = [['name', 'Name'], ['website', 'Website'], ['phone', 'Phone'], ['billing_street', 'BillingStreet'], ['billing_city', 'BillingCity'], ['billing_state', 'BillingState'], ['billing_postal_code', 'BillingPostalCode'], ['billing_country', 'BillingCountry']];
  for (const key of ['suggestion', 'other', 'createNew'] as const) {
    const { prmId, sfId } = chosen[key] as { prmId: string; sfId?: string };
    const link = await db()('sync_links').where({ object: 'organization', prm_id: prmId }).first();
    assert.equal(link?.state, 'linked', key);
    if (sfId) assert.equal(link.sf_id, sfId, key);
    const row = await db()('organizations').where({ id: prmId }).first();
    const account = w.emulator.org.retrieve('Account', link.sf_id) as Record<string, unknown>;
    assert.equal(account.PRM_Id__c, prmId, key);
    assert.equal(account.PRM_Sync__c, true, key);
    for (const [column, field] of fields) assert.equal(account[field] ?? null, row[column] ?? null, `${key}: ${column}`);
  }
  const skipped = await db()('sync_links').where({ object: 'organization', prm_id: chosen.dontSync?.prmId }).first();
  assert.equal(skipped?.state, 'excluded');
  assert.equal(w.emulator.org.query(`SELECT Id FROM Account WHERE PRM_Id__c = '${chosen.dontSync?.prmId}'`).totalSize, 0);
  const createdLink = await db()('sync_links').where({ object: 'organization', sf_id: chosen.createInPrm?.sfId }).first();
  const created = await db()('organizations').where({ id: createdLink.prm_id }).first();
  assert.equal(created.name, chosen.createInPrm?.name);
  assert.equal((w.emulator.org.retrieve('Account', chosen.createInPrm?.sfId as string) as Record<string, unknown>).PRM_Id__c, created.id);

  // Linked contacts agree too.
  const contactLinks = await db()('sync_links').where({ object: 'contact', state: 'linked' }).whereNotNull('sf_id').limit(10);
  assert.ok(contactLinks.length >= 1);
  for (const link of contactLinks) {
    const row = await db()('contacts').where({ id: link.prm_id }).first();
    const contact = w.emulator.org.retrieve('Contact', link.sf_id) as Record<string, unknown>;
    assert.equal(String(contact.Email ?? '').toLowerCase(), row.email);
    assert.equal(contact.LastName, row.last_name);
  }
  assert.deepEqual(browserErrors, [], 'no resource or CSP errors in the browser');
});

test('the other wizard pages after the apply, for the record', async () => {
  for (const [name, pathname] of [['12-preparation-after', '/wizard'], ['13-organizations-after', '/wizard/organizations']] as const) {
    const response = await page.goto(url(pathname));
    assert.equal(response?.status(), 200);
    await shot(page, name);
  }
  assert.match(await page.locator('.wz-head').innerText(), /completed/);
});

test('with JavaScript on, the optional scripts keep the progress current (reloading when the task ends) and search as you type', async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, javaScriptEnabled: true });
  const live = await context.newPage();
  const errors: string[] = [];
  live.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await live.goto(url('/login'));
  await live.fill('#email', ADMIN_EMAIL);
  await live.fill('#password', ADMIN_PASSWORD);
  await live.click('button:has-text("Log in")');
  // A task as another replica would run it: the page shows it and polls /wizard/progress.json.
  const id = '00000000-0000-4000-8000-00000000b0b0';
  await db()('wizard_tasks').insert({ id, kind: 'refresh', status: 'running', phase: 'Reading flagged Salesforce accounts', done: 10, total: 100, started_by: 'other@admin', heartbeat_at: new Date() });
  await live.goto(url('/wizard'));
  assert.equal(await live.locator('[data-progress-bar]').getAttribute('value'), '10');
  await db()('wizard_tasks').where({ id }).update({ phase: 'Storing suggestions', done: 60, heartbeat_at: new Date() });
  await live.locator('[data-progress-phase]:has-text("Storing suggestions")').waitFor({ timeout: 5_000 });
  assert.equal(await live.locator('[data-progress-bar]').evaluate((bar) => (bar as unknown as { value: number }).value), 60);
  await db()('wizard_tasks').where({ id }).update({ status: 'succeeded', finished_at: new Date() });
  await live.locator('[data-wizard-progress]').waitFor({ state: 'detached', timeout: 5_000 });

  // Select Other searches as you type (the Search button is the fallback without JavaScript).
  const organization = (await db()('organizations').orderBy('name').first('id')) as { id: string };
  const account = (await db()('wizard_sf_accounts').orderBy('name').first('sf_id', 'name')) as { sf_id: string; name: string };
  await live.goto(url(`/wizard/organizations/${organization.id}/select?q=zzzz-nothing`));
  assert.equal(await live.locator('[data-hit]').count(), 0);
  await live.fill('#q', account.name);
  await live.locator(`[data-hit="${account.sf_id}"]`).waitFor({ timeout: 5_000 });
  assert.match(live.url(), /q=zzzz-nothing/, 'the results changed without a page load');
  assert.deepEqual(errors, [], 'the scripts run under the Content-Security-Policy without errors');
  await context.close();
});
