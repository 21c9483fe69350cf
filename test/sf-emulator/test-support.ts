// Shared helpers for the emulator's own tests: a jsforce connection and raw HTTP calls.
import jsforce from 'jsforce';
import type { RunningEmulator } from './index.ts';

export const API_VERSION = '62.0';

export function connect(emulator: RunningEmulator, accessToken = emulator.accessToken): jsforce.Connection {
  return new jsforce.Connection({ instanceUrl: emulator.url, accessToken, version: API_VERSION });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A plain HTTP call (fetch) with the integration user's token unless `token` is given (null = none). */
export async function call(emulator: RunningEmulator, method: string, path: string, options: { body?: unknown; rawBody?: string; contentType?: string; token?: string | null; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? emulator.accessToken : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(emulator.url + path, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const data = (path: string) => `/services/data/v${API_VERSION}${path}`;
