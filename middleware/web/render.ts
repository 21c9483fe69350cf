// Server-side rendering: Handlebars through @fastify/view with one layout, shared partials and a few
// helpers, and `renderPage`, which gives every page the same frame (admin, navigation, flash messages,
// CSRF token). Templates use `{{ }}` only, so every value is HTML-escaped; the one `{{{body}}}` is the
// layout's slot for the already-rendered page.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import view from '@fastify/view';
import { takeFlash } from './flash.ts';
import { csrfToken } from './security.ts';

export const VIEWS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');

export interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

const NAV: Array<{ href: string; label: string; section: string }> = [
  { href: '/sync', label: 'Sync Manager', section: 'sync' },
  { href: '/log', label: 'Integration Log', section: 'log' },
  { href: '/settings', label: 'Settings', section: 'settings' },
  { href: '/settings/mappings', label: 'Field Mappings', section: 'mappings' },
  { href: '/settings/connection', label: 'Connection', section: 'connection' },
  { href: '/wizard', label: 'Matching Wizard', section: 'wizard' },
];

function handlebarsEngine(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b || String(a) === String(b));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('date', (value: unknown) => formatDateTime(value));
  hbs.registerHelper('number', (value: unknown) => (typeof value === 'number' || (typeof value === 'string' && value !== '' && !Number.isNaN(Number(value))) ? Number(value).toLocaleString('en-US') : '—'));
  hbs.registerHelper('plural', (count: unknown, one: string, many: string) => (Number(count) === 1 ? one : many));
  hbs.registerHelper('math-add', (a: unknown, b: unknown) => Number(a) + Number(b));
  hbs.registerHelper('math-sub', (a: unknown, b: unknown) => Number(a) - Number(b));
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
  hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hbs.registerHelper('dash', (value: unknown) => (value === null || value === undefined || value === '' ? '—' : value));
  return hbs;
}

/** `2026-11-22 09:05:03 UTC`: one unambiguous format on every page. */
export function formatDateTime(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export async function registerViews(app: FastifyInstance): Promise<void> {
  const partialsDir = path.join(VIEWS_DIR, 'partials');
  const partials = Object.fromEntries(
    readdirSync(partialsDir)
      .filter((file) => file.endsWith('.hbs'))
      .map((file) => [file.replace(/\.hbs$/, ''), path.join('partials', file)]),
  );
  await app.register(view, {
    engine: { handlebars: handlebarsEngine() },
    root: VIEWS_DIR,
    layout: 'layout.hbs',
    viewExt: 'hbs',
    production: true,
    options: { partials },
  });
}

export interface PageOptions {
  title: string;
  section?: string;
  status?: number;
}

/** Renders `template` inside the layout with the admin, navigation, flash messages and a CSRF token. */
export async function renderPage(request: FastifyRequest, reply: FastifyReply, template: string, options: PageOptions, data: Record<string, unknown> = {}): Promise<FastifyReply> {
  const nav: NavItem[] = NAV.map((item) => ({ href: item.href, label: item.label, active: item.section === options.section }));
  const context = {
    ...data,
    title: options.title,
    admin: request.admin ?? null,
    nav: request.admin ? nav : [],
    flash: takeFlash(request),
    csrfToken: csrfToken(reply),
  };
  if (options.status) void reply.code(options.status);
  void reply.header('cache-control', 'no-store');
  return reply.view(template, context);
}
