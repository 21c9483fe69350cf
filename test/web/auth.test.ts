// Admin login: the first admin from the environment, success and failure, lockout after repeated wrong
// passwords, the login rate limit, logout, the session cookie's flags and the security headers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_EMAIL, ADMIN_PASSWORD, alerts, Client, openConsole } from './helpers.ts';
import { databaseLabel } from '../helpers/db.ts';

const ui = await openConsole({ console: { loginRateLimit: { max: 50, timeWindow: 60_000 } } });
const strict = await openConsole({ console: { loginRateLimit: { max: 3, timeWindow: 60_000 } } });
after(() => Promise.all([ui.close(), strict.close()]));

test(`the first admin is created from PRM_SYNC_ADMIN_EMAIL/PASSWORD, with a scrypt hash (${databaseLabel()})`, async () => {
  const rows = await ui.database.db('admin_users').select('email', 'password_hash');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].email, ADMIN_EMAIL);
  assert.match(rows[0].password_hash, /^scrypt\$/);
  assert.ok(!rows[0].password_hash.includes(ADMIN_PASSWORD));
});

test('login with the right password starts a session and returns to the page asked for', async () => {
  const client = new Client(ui.app);
  const page = await client.get('/log?level=error');
  assert.equal(page.statusCode, 302);
  assert.equal(page.headers.location, '/login?next=%2Flog%3Flevel%3Derror');
  const form = await client.get(page.headers.location as string);
  assert.match(form.body, /name="next" value="\/log\?level&#x3D;error"/);
  const login = await client.post('/login', { email: ` ${ADMIN_EMAIL.toUpperCase()} `, password: ADMIN_PASSWORD, next: '/log?level=error' }, { csrfFrom: '/login' });
  assert.equal(login.statusCode, 303);
  assert.equal(login.headers.location, '/log?level=error');
  const cookie = String(login.headers['set-cookie']);
  assert.match(cookie, /prm_sync_session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/, 'http public URL: no Secure flag (the browser would drop the cookie)');
  const logged = await client.get('/log');
  assert.equal(logged.statusCode, 200);
  assert.match(logged.body, new RegExp(ADMIN_EMAIL));
  // Already logged in: /login goes straight on.
  assert.equal((await client.get('/login?next=/settings')).headers.location, '/settings');
});

test('a wrong password or an unknown email is refused with the same message', async () => {
  const client = new Client(ui.app);
  const wrong = await client.post('/login', { email: ADMIN_EMAIL, password: 'not the password' }, { csrfFrom: '/login' });
  assert.equal(wrong.statusCode, 401);
  assert.ok(alerts(wrong.body).includes('The email or password is not correct.'));
  const unknown = await client.post('/login', { email: 'nobody@prm-sync.test', password: 'whatever' }, { csrfFrom: '/login' });
  assert.equal(unknown.statusCode, 401);
  assert.ok(alerts(unknown.body).includes('The email or password is not correct.'));
  assert.equal((await client.get('/sync')).statusCode, 302);
  await ui.database.db('admin_users').update({ failed_logins: 0, locked_until: null });
});

test('five wrong passwords lock the account, even against the right password', async () => {
  const db = ui.database.db;
  const second = 'second.admin@prm-sync.test';
  const { createAdminUserRepository } = await import('../../middleware/auth/admin-users.ts');
  await createAdminUserRepository(db).create(second, 'another long password');
  const client = new Client(ui.app);
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    const response = await client.post('/login', { email: second, password: `wrong ${attempt}` }, { csrfFrom: '/login' });
    assert.equal(response.statusCode, 401);
  }
  const fifth = await client.post('/login', { email: second, password: 'wrong 5' }, { csrfFrom: '/login' });
  assert.equal(fifth.statusCode, 423);
  assert.match(alerts(fifth.body).join(' '), /locked until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  const right = await client.post('/login', { email: second, password: 'another long password' }, { csrfFrom: '/login' });
  assert.equal(right.statusCode, 423);
  assert.equal((await client.get('/sync')).statusCode, 302);
  const row = await db('admin_users').where({ email: second }).first();
  assert.ok(new Date(row.locked_until).getTime() > Date.now() + 14 * 60_000);
  // Once the lock has run out, the right password works and resets the count.
  await db('admin_users').where({ email: second }).update({ locked_until: new Date(Date.now() - 1000) });
  assert.equal((await client.post('/login', { email: second, password: 'another long password' }, { csrfFrom: '/login' })).statusCode, 303);
  assert.equal((await db('admin_users').where({ email: second }).first()).failed_logins, 0);
});

test('logout ends the session', async () => {
  const client = new Client(ui.app);
  await client.login();
  assert.equal((await client.get('/sync')).statusCode, 200);
  const out = await client.post('/logout', {}, { csrfFrom: '/sync' });
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/login?out=1');
  assert.equal((await client.get('/sync')).statusCode, 302);
  assert.ok(alerts((await client.get('/login?out=1')).body).includes('You are logged out.'));
});

test('pages carry a strict CSP and the other security headers', async () => {
  const response = await new Client(ui.app).get('/login');
  const csp = String(response.headers['content-security-policy']);
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'"]) assert.ok(csp.includes(directive), directive);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.doesNotMatch(response.body, /<script/i, 'no script at all on console pages');
  assert.doesNotMatch(response.body, /style="/, 'no inline styles (the CSP would block them)');
});

test('login attempts are rate-limited per client address', async () => {
  const client = new Client(strict.app);
  let limited = null;
  for (let attempt = 0; attempt < 5 && !limited; attempt += 1) {
    const response = await client.post('/login', { email: 'someone@prm-sync.test', password: 'guess' }, { csrfFrom: '/login' });
    if (response.statusCode === 429) limited = response;
  }
  assert.ok(limited, 'a 429 within the attempts');
  assert.ok(alerts(limited.body).some((text) => /Too many login attempts/.test(text)));
  assert.ok(limited.headers['retry-after']);
});

test('without any admin the login page says how to create the first one', async () => {
  const empty = await openConsole({ env: { PRM_SYNC_ADMIN_EMAIL: '', PRM_SYNC_ADMIN_PASSWORD: '' } });
  try {
    assert.equal((await empty.database.db('admin_users')).length, 0);
    const page = await new Client(empty.app).get('/login');
    assert.ok(alerts(page.body).some((text) => /No admin account exists yet: set PRM_SYNC_ADMIN_EMAIL and PRM_SYNC_ADMIN_PASSWORD/.test(text)));
    assert.ok(empty.logLines.some((line) => /No admin user exists/.test(line)));
  } finally {
    await empty.close();
  }
});
