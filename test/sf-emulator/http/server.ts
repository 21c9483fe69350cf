// The emulator's HTTP front door (Node's own http): reads the request, counts it in the ledger, applies
// scripted faults, checks the bearer token and the daily API allocation, runs the route and writes
// Salesforce-shaped replies with `Sforce-Limit-Info`.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SoqlError, type EmulatorReply, type EmulatorRequest, type RouteModule } from '../contracts.ts';
import type { Org } from '../store/org.ts';
import type { Faults } from './faults.ts';
import { defaultFaultBody } from './faults.ts';
import type { ApiUsage, Ledger } from './ledger.ts';
import { errorReply, invalidSession, jsonParserError, notFound } from './replies.ts';
import { normalizePath, Router, type RouteMatch } from './router.ts';

export interface TokenChecker {
  userForAccessToken(token: string): string | undefined;
  expireAccessToken(token: string): void;
}

export interface ServerContext {
  org: Org;
  tokens: TokenChecker;
  ledger: Ledger;
  faults: Faults;
  usage: ApiUsage;
}

const MAX_BODY_BYTES = 200 * 1024 * 1024;

function bearerToken(headers: EmulatorRequest['headers']): string | undefined {
  const header = headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(value.trim()) : null;
  return match?.[1]?.trim();
}

/** SOAP carries the session in the envelope: `<sessionId>…</sessionId>`. */
function soapSessionId(body: Buffer): string | undefined {
  return /<(?:\w+:)?sessionId>\s*([^<\s]+)\s*<\/(?:\w+:)?sessionId>/.exec(body.toString('utf8', 0, Math.min(body.length, 8192)))?.[1];
}

function soapOperation(body: Buffer): string | undefined {
  return /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body.toString('utf8', 0, Math.min(body.length, 65536)))?.[1];
}

function soapFault(code: string, message: string): EmulatorReply {
  const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${code}: ${message}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  return { status: 500, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    const text = raw.toString('utf8');
    const position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? 0);
    const line = text.slice(0, position).split('\n').length;
    const column = position - text.lastIndexOf('\n', position - 1);
    const ch = text[position] ?? '';
    return { ok: false, message: `Unexpected character ('${ch}' (code ${ch.charCodeAt(0) || 0})): was expecting a valid JSON value at [line:${line}, column:${column}]` };
  }
}

export class EmulatorServer {
  private readonly router = new Router();
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private baseUrl = '';

  constructor(
    private readonly context: ServerContext,
    ownModules: RouteModule[],
    extraModules: RouteModule[],
  ) {
    for (const module of ownModules) this.router.mount(module, true);
    for (const module of extraModules) this.router.mount(module);
    // Idle keep-alive connections stay open a minute (as behind Salesforce's load balancers): with 5 s, a busy
    // client reusing a pooled socket races the server closing it ("other side closed").
    this.server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        process.stderr.write(`sf-emulator: ${(error as Error).stack ?? String(error)}\n`);
        if (!res.headersSent) this.send(res, '', errorReply(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred in the org emulator.'));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return this.baseUrl;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('The emulator did not get a TCP address');
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  /** Stops listening and cuts every connection, including requests held open by a timeout fault. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new Error('Request body too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await this.readBody(req);
    // Not `new URL(req.url, base)`: a doubled leading slash (`//services/data`, sent by the sf CLI) would
    // read as a protocol-relative URL with host `services`.
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const url = { pathname: queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl, searchParams: new URLSearchParams(queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '') };
    const path = normalizePath(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const matched = this.router.match(method, path);
    const route = matched && 'route' in matched ? matched : undefined;
    const soapOp = path.startsWith('/services/Soap/') ? soapOperation(rawBody) : undefined;
    const label = !route ? 'unmatched' : soapOp && !route.route.explicitLabel ? `${route.route.module}.${soapOp}` : route.route.label;
    this.context.ledger.record(label);

    const decision = this.context.faults.decide({ label, method, path });
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    const action = decision.action;
    if (action?.type === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action?.type === 'timeout') return; // never answers; close() destroys the socket
    if (action?.type === 'status') {
      const fallback = defaultFaultBody(action.status);
      const body = action.body ?? fallback.body;
      const contentType = action.contentType ?? (typeof body === 'string' ? fallback.contentType : 'application/json;charset=UTF-8');
      this.send(res, path, { status: action.status, headers: { 'content-type': contentType, ...fallback.headers, ...action.headers }, body });
      return;
    }

    const request: EmulatorRequest = { method, path, params: route?.params ?? {}, query: url.searchParams, headers: req.headers, rawBody };
    const reply = await this.process(request, route, matched, action?.type, label);
    if (process.env.SF_EMULATOR_LOG) process.stderr.write(`sf-emulator: ${method} ${req.url ?? ''} [${label}] → ${reply.status}\n`);
    this.send(res, path, reply);
  }

  private async process(request: EmulatorRequest, route: RouteMatch | undefined, matched: ReturnType<Router['match']>, action: string | undefined, label: string): Promise<EmulatorReply> {
    if (!route) {
      if (matched && 'allowed' in matched) {
        const reply = errorReply(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed. Allowed are ${matched.allowed.join(',')}`);
        return { ...reply, headers: { Allow: matched.allowed.join(', ') } };
      }
      return notFound();
    }
    const isSoap = request.path.startsWith('/services/Soap/');
    const token = bearerToken(request.headers) ?? (isSoap ? soapSessionId(request.rawBody) : undefined);
    if (action === 'expireSession' && token) this.context.tokens.expireAccessToken(token);
    if (route.route.auth) {
      const userId = token ? this.context.tokens.userForAccessToken(token) : undefined;
      if (!userId) return isSoap ? soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session') : invalidSession();
      request.userId = userId;
    }
    if (countsAgainstLimit(request.path, label)) {
      if (action === 'apiLimit' || !this.context.usage.consume()) {
        return isSoap ? soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') : errorReply(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      }
    }
    const contentType = String(request.headers['content-type'] ?? '');
    if (/json/i.test(contentType)) {
      const parsed = parseJson(request.rawBody);
      if (!parsed.ok) return jsonParserError(parsed.message);
      request.json = parsed.value;
    }
    try {
      return await route.route.handler(request, this.context.org);
    } catch (error) {
      if (error instanceof SoqlError) return errorReply(400, error.errorCode, error.message);
      throw error;
    }
  }

  /**
   * Runs a composite subrequest through the same routes, without ledger, faults or limits. It must
   * complete synchronously so an all-or-none composite can roll back without other requests interleaving.
   */
  dispatch(request: Omit<EmulatorRequest, 'params'>): EmulatorReply {
    const matched = this.router.match(request.method, normalizePath(request.path));
    if (!matched || !('route' in matched)) return matched ? errorReply(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed.`) : notFound();
    const full: EmulatorRequest = { ...request, params: matched.params };
    try {
      const reply = matched.route.handler(full, this.context.org);
      if (reply instanceof Promise) {
        reply.catch(() => {});
        return errorReply(400, 'INVALID_BATCH_REQUEST', `${request.path} is not supported in a composite request by the org emulator`);
      }
      return reply;
    } catch (error) {
      if (error instanceof SoqlError) return errorReply(400, error.errorCode, error.message);
      throw error;
    }
  }

  private send(res: ServerResponse, path: string, reply: EmulatorReply): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (path.startsWith('/services/data')) headers['Sforce-Limit-Info'] = this.context.usage.header;
    // The org's clock, not the host's (a test may run the org at another time). Salesforce sends one too;
    // the sync reads it to know up to when a query saw every committed change.
    headers.Date = new Date(this.context.org.now).toUTCString();
    let payload: Buffer | undefined;
    if (reply.body === undefined || reply.status === 204 || reply.status === 304) payload = undefined;
    else if (Buffer.isBuffer(reply.body)) payload = reply.body;
    else if (typeof reply.body === 'string') payload = Buffer.from(reply.body, 'utf8');
    else {
      payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json;charset=UTF-8';
    }
    if (payload) headers['content-length'] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

/** Calls that spend the daily API allocation: REST, Bulk and SOAP API calls, not logins or the version list. */
function countsAgainstLimit(path: string, label: string): boolean {
  if (label.startsWith('oauth.') || label === 'versions') return false;
  return path.startsWith('/services/data/') || path.startsWith('/services/Soap/') || path.startsWith('/services/async/');
}
