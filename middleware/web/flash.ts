// One-time messages across a redirect (Post/Redirect/Get): set before redirecting, shown once by the
// next page. They live in the encrypted session cookie, so they are kept short.
import type { FastifyRequest } from 'fastify';

export type FlashKind = 'success' | 'error' | 'warning' | 'info';

export interface FlashMessage {
  kind: FlashKind;
  text: string;
  /** Optional lines under the text (e.g. a connection test's facts). */
  details?: string[];
}

const KEY = 'flash';
// The session cookie must stay under the browser's 4 KB per cookie, or the session is lost with it.
const MAX_TEXT = 400;
const MAX_LINE = 300;
const MAX_DETAILS = 1200;
const MAX_MESSAGES = 3;

export function flash(request: FastifyRequest, kind: FlashKind, text: string, details?: string[]): void {
  const current = (request.session.get(KEY) as FlashMessage[] | undefined) ?? [];
  const message: FlashMessage = { kind, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text };
  if (details && details.length > 0) {
    let budget = MAX_DETAILS;
    message.details = [];
    for (const line of details.slice(0, 10)) {
      const kept = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
      if (kept.length > budget) break;
      message.details.push(kept);
      budget -= kept.length;
    }
  }
  request.session.set(KEY, [...current, message].slice(-MAX_MESSAGES));
}

export function takeFlash(request: FastifyRequest): Array<FlashMessage & { theme: string; icon: string }> {
  const messages = (request.session.get(KEY) as FlashMessage[] | undefined) ?? [];
  if (messages.length > 0) request.session.set(KEY, undefined);
  return messages.map((message) => ({ ...message, theme: THEMES[message.kind], icon: ICONS[message.kind] }));
}

const THEMES: Record<FlashKind, string> = { success: 'slds-theme_success', error: 'slds-theme_error', warning: 'slds-theme_warning', info: 'slds-theme_info' };
const ICONS: Record<FlashKind, string> = { success: 'success', error: 'error', warning: 'warning', info: 'info' };
