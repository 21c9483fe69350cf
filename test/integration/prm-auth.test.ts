import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { hashApiToken } from '../../middleware/security/api-tokens.ts';
import { API_TOKEN, openApiContext } from './prm-fixtures.ts';

const ctx = await openApiContext();
after(() => ctx.close());

const ROUTES: Array<[string, string]> = [
  ['GET', '/api/v1/organizations'],
  ['POST', '/api/v1/organizations'],
  ['GET', '/api/v1/organizations/00000000-0000-4000-8000-000000000000'],
  ['PATCH', '/api/v1/organizations/00000000-0000-4000-8000-000000000000'],
  ['DELETE', '/api/v1/organizations/00000000-0000-4000-8000-000000000000'],
  ['GET', '/api/v1/contacts'],
  ['POST', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/promote'],
  ['POST', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/deactivate'],
  ['GET', '/api/v1/groups'],
  ['PUT', '/api/v1/groups/00000000-0000-4000-8000-000000000000/members/00000000-0000-4000-8000-000000000000'],
  ['GET', '/api/v1/deals'],
];

describe(`API authentication on ${databaseLabel()}`, () => {
  test('every /api route answers 401 with a Bearer challenge when the token is missing', async () => {
    for (const [method, url] of ROUTES) {
      const response = await ctx.app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : {} });
      assert.equal(response.statusCode, 401, `${method} ${url}`);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="prm-sync"');
      assert.equal(response.json().error.code, 'UNAUTHORIZED');
      assert.match(response.json().error.message, /Authorization: Bearer <token>/);
    }
  });

  test('a wrong, malformed or revoked token is refused with invalid_token / invalid_request', async () => {
    const wrong = await ctx.app.inject({ method: 'GET', url: '/api/v1/organizations', headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="prm-sync", error="invalid_token"');
    assert.equal(wrong.json().error.code, 'INVALID_TOKEN');
    assert.match(wrong.json().error.message, /not valid or has been revoked/);

    const basic = await ctx.app.inject({ method: 'GET', url: '/api/v1/organizations', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(basic.statusCode, 401);
    assert.match(basic.headers['www-authenticate'] as string, /error="invalid_request"/);
    assert.match(basic.json().error.message, /not of the form "Bearer <token>"/);

    const { token, info } = await ctx.app.apiTokens.create('integration test');
    const ok = await ctx.app.inject({ method: 'GET', url: '/api/v1/groups', headers: { authorization: `bearer ${token}` } });
    assert.equal(ok.statusCode, 200, 'the scheme name is case-insensitive');
    assert.equal(await ctx.app.apiTokens.revoke(info.id), true);
    const revoked = await ctx.app.inject({ method: 'GET', url: '/api/v1/groups', headers: { authorization: `Bearer ${token}` } });
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.json().error.code, 'INVALID_TOKEN');
  });

  test('the bootstrap token is stored only as its SHA-256 hash and records its use', async () => {
    const response = await ctx.api('GET', '/api/v1/organizations');
    assert.equal(response.statusCode, 200);
    const rows = await ctx.database.db('api_tokens').select('*');
    assert.ok(rows.some((row) => row.token_hash === hashApiToken(API_TOKEN) && row.last_used_at !== null));
    assert.ok(!JSON.stringify(rows).includes(API_TOKEN), 'the plain token is not stored');
  });

  test('/docs/json is the OpenAPI 3.1 document of every /api/v1 route with the bearer scheme; /docs serves the UI', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: document.components.securitySchemes.bearerAuth.description });
    assert.deepEqual(document.security, [{ bearerAuth: [] }]);
    const paths = Object.keys(document.paths).sort();
    assert.deepEqual(paths, [
      '/api/v1/contacts',
      '/api/v1/contacts/{id}',
      '/api/v1/contacts/{id}/activate',
      '/api/v1/contacts/{id}/deactivate',
      '/api/v1/contacts/{id}/promote',
      '/api/v1/deals',
      '/api/v1/deals/{id}',
      '/api/v1/groups',
      '/api/v1/groups/{id}',
      '/api/v1/groups/{id}/members',
      '/api/v1/groups/{id}/members/{contact_id}',
      '/api/v1/organizations',
      '/api/v1/organizations/{id}',
    ]);
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { responses: Record<string, unknown>; summary?: string }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(operation.summary, `${method} ${path} has a summary`);
        assert.ok(operation.responses['401'], `${method} ${path} documents 401`);
        assert.ok(Object.keys(operation.responses).some((status) => status.startsWith('2')), `${method} ${path} documents its reply`);
      }
    }
    const createBody = document.paths['/api/v1/organizations'].post.requestBody.content['application/json'].schema;
    assert.equal(createBody.additionalProperties, false);
    assert.equal(createBody.properties.name.maxLength, 255);
    assert.ok(!JSON.stringify(document).includes('~kind'), 'no TypeBox internals leak into the document');

    const ui = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.headers['content-type'] as string, /text\/html/);
  });
});
