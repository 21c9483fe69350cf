// The admin console under test: a real app on a real (test) database with captured pino output, and a
// tiny cookie-keeping client over fastify.inject that logs in and submits forms with their CSRF token.
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../middleware/app.ts';
import { loadConfig } from '../../middleware/config.ts';
import type { ConsoleOptions } from '../../middleware/web/console.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/db.ts';

export const ADMIN_EMAIL = 'admin@prm-sync.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';
export const SECRET_KEY_HEX = 'a1'.repeat(32);

export interface ConsoleUnderTest {
  app: FastifyInstance;
  database: TestDatabase;
  /** Every pino line the app wrote. */
  logLines: string[];
  close(): Promise<void>;
}

export async function openConsole(options: { env?: Record<string, string>; console?: ConsoleOptions } = {}): Promise<ConsoleUnderTest> {
  const database = await openTestDatabase();
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  });
  const config = loadConfig({
    LOG_LEVEL: 'debug',
    PRM_SYNC_ADMIN_EMAIL: ADMIN_EMAIL,
    PRM_SYNC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PRM_SYNC_SECRET_KEY: SECRET_KEY_HEX,
    PRM_SYNC_PUBLIC_URL: 'http://127.0.0.1:3999',
    ...options.env,
  });
  const app = await buildApp({ config, database, logStream, console: options.console });
  await app.ready();
  return {
    app,
    database,
    logLines,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A browser-like client: keeps cookies, finds CSRF tokens in pages, posts urlencoded forms. */
export class Client {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired = (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.maxAge === 0 || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  hasSession(): boolean {
    return this.cookies.size > 0;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: this.cookies.size ? { cookie: this.cookieHeader } : {} }));
  }

  /** Posts a form; `csrfFrom` names the page whose form token to use (default: the same URL). */
  async post(url: string, form: Record<string, string>, options: { csrfFrom?: string; csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const fields = { ...form };
    if (options.csrf !== false) fields._csrf = await this.csrfToken(options.csrfFrom ?? url);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.cookies.size ? { cookie: this.cookieHeader } : {}) },
      }),
    );
  }

  async csrfToken(pageUrl: string): Promise<string> {
    const page = await this.get(pageUrl);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!match) throw new Error(`No CSRF token on ${pageUrl} (status ${page.statusCode})`);
    return match[1] as string;
  }

  async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<LightMyRequestResponse> {
    return this.post('/login', { email, password }, { csrfFrom: '/login' });
  }
}

/** The text of the first flash message / alert on a page (for assertions). */
export function alerts(html: string): string[] {
  return [...html.matchAll(/<h2>([\s\S]*?)<\/h2>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
}

/** Full paths from `app.printRoutes({ commonPrefix: false, method })`, whose tree nests children 4 columns deeper. */
export function routesFromTree(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)/.exec(line);
    if (!match) continue;
    const depth = Math.floor((match[1] as string).length / 4);
    stack.length = depth;
    const path = `${stack.join('')}${match[2] as string}`;
    stack.push(match[2] as string);
    if (/\(\w+(, \w+)*\)$/.test(line)) out.push(path.replace(/ \(.*$/, ''));
  }
  return out;
}
