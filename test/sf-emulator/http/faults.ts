// Scriptable faults, per test: latency (fixed and jittered), HTTP errors (500, 503, 429 …), dropped
// connections, requests that never answer, an expired session, an exhausted API allocation, and
// per-record failures (UNABLE_TO_LOCK_ROW …) that collections and the Bulk API report record by record.
// Rules match by ledger label, method and path; `times`, `after` and a seeded `probability` shape them.
import type { SfErrorItem, SObjectValues } from '../contracts.ts';
import { seededRandom, type Random } from '../core/rng.ts';
import type { RecordFaultContext, RecordFaultHook } from '../store/org.ts';

export type FaultAction =
  | { type: 'status'; status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }
  | { type: 'drop' }
  | { type: 'timeout' }
  | { type: 'latency'; ms: number; jitterMs?: number }
  | { type: 'expireSession' }
  | { type: 'apiLimit' };

export interface FaultMatch {
  /** Ledger label (`query`, `collections.upsert`, `bulk2.ingest.create` …), exact or a pattern. */
  label?: string | RegExp;
  method?: string;
  path?: string | RegExp;
  /** How many matching requests the rule affects (default: all). */
  times?: number;
  /** Matching requests to let through before the rule starts. */
  after?: number;
  /** Chance (0–1) that a matching request is affected, drawn from the emulator's seeded generator. */
  probability?: number;
}

export interface FaultRule extends FaultMatch {
  action: FaultAction;
}

export interface FaultHandle {
  /** Requests (or records) the rule affected so far. */
  readonly hits: number;
  remove(): void;
}

export interface RecordFailureRule {
  object?: string;
  /** `collections`, `rest` or `bulk2`. */
  api?: string;
  operation?: string;
  /** Fails only records for which this is true. */
  when?: (values: SObjectValues | undefined, context: RecordFaultContext) => boolean;
  /** Fails every n-th matching record (1 = each). */
  every?: number;
  times?: number;
  probability?: number;
  error?: SfErrorItem;
}

interface LiveRule<T> {
  rule: T;
  seen: number;
  hits: number;
}

export interface RequestInfo {
  label: string;
  method: string;
  path: string;
}

/** What the server must do for one request: wait this long, then maybe act. */
export interface FaultDecision {
  delayMs: number;
  action?: Exclude<FaultAction, { type: 'latency' }>;
}

/** The default body of an injected HTTP error, as Salesforce (or its front door) sends it. */
export function defaultFaultBody(status: number): { body: unknown; contentType: string; headers?: Record<string, string> } {
  if (status === 500) {
    return { body: [{ message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1877465239-58723 (-1306452712)', errorCode: 'UNKNOWN_EXCEPTION' }], contentType: 'application/json;charset=UTF-8' };
  }
  if (status === 429) return { body: 'Too Many Requests', contentType: 'text/plain', headers: { 'Retry-After': '1' } };
  if (status === 503) return { body: '<html><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>', contentType: 'text/html' };
  return { body: [{ message: `HTTP ${status}`, errorCode: `HTTP_${status}` }], contentType: 'application/json;charset=UTF-8' };
}

export class Faults implements RecordFaultHook {
  private rules: Array<LiveRule<FaultRule>> = [];
  private recordRules: Array<LiveRule<RecordFailureRule>> = [];
  private readonly random: Random;
  private baseLatency = 0;
  private baseJitter = 0;
  /** Set by startEmulator: expires every access token issued so far. */
  onExpireAllSessions: () => void = () => {};
  /** Set by startEmulator: spends the org's daily API allocation. */
  onExhaustApiLimit: () => void = () => {};

  constructor(seed: string | number = 'faults', latencyMs = 0, jitterMs = 0) {
    this.random = seededRandom(`${seed}:faults`);
    this.setLatency(latencyMs, jitterMs);
  }

  /** Latency added to every request: `ms` plus a uniform random 0…`jitterMs`. */
  setLatency(ms: number, jitterMs = 0): void {
    if (ms < 0 || jitterMs < 0) throw new Error('Latency must not be negative');
    this.baseLatency = ms;
    this.baseJitter = jitterMs;
  }

  add(rule: FaultRule): FaultHandle {
    const live: LiveRule<FaultRule> = { rule, seen: 0, hits: 0 };
    this.rules.push(live);
    return this.handle(live, () => (this.rules = this.rules.filter((r) => r !== live)));
  }

  /** HTTP `status` (500, 503, 429 …) for matching requests, with Salesforce's body unless one is given. */
  status(status: number, match: FaultMatch = {}, body?: unknown): FaultHandle {
    return this.add({ ...match, action: body === undefined ? { type: 'status', status } : { type: 'status', status, body } });
  }

  /** Destroys the connection without an answer. */
  drop(match: FaultMatch = {}): FaultHandle {
    return this.add({ ...match, action: { type: 'drop' } });
  }

  /** Never answers (until the client gives up or the emulator closes). */
  timeout(match: FaultMatch = {}): FaultHandle {
    return this.add({ ...match, action: { type: 'timeout' } });
  }

  delay(ms: number, match: FaultMatch = {}, jitterMs = 0): FaultHandle {
    return this.add({ ...match, action: { type: 'latency', ms, jitterMs } });
  }

  /**
   * Without a match: expires every access token issued so far (refresh grants still work and their new
   * tokens stay valid). With a match: the token a matching request carries expires then and there.
   */
  expireSession(match?: FaultMatch): FaultHandle | undefined {
    if (!match) {
      this.onExpireAllSessions();
      return undefined;
    }
    return this.add({ ...match, action: { type: 'expireSession' } });
  }

  /** Without a match: spends the daily allocation now. With one: matching requests get REQUEST_LIMIT_EXCEEDED. */
  apiLimit(match?: FaultMatch): FaultHandle | undefined {
    if (!match) {
      this.onExhaustApiLimit();
      return undefined;
    }
    return this.add({ ...match, action: { type: 'apiLimit' } });
  }

  failRecords(rule: RecordFailureRule = {}): FaultHandle {
    const live: LiveRule<RecordFailureRule> = { rule, seen: 0, hits: 0 };
    this.recordRules.push(live);
    return this.handle(live, () => (this.recordRules = this.recordRules.filter((r) => r !== live)));
  }

  clear(): void {
    this.rules = [];
    this.recordRules = [];
    this.baseLatency = 0;
    this.baseJitter = 0;
  }

  private handle<T>(live: LiveRule<T>, remove: () => void): FaultHandle {
    return {
      get hits() {
        return live.hits;
      },
      remove,
    };
  }

  private fires(live: LiveRule<FaultMatch | RecordFailureRule>, every = 1): boolean {
    const rule = live.rule as FaultMatch & { every?: number };
    live.seen++;
    if (rule.after !== undefined && live.seen <= rule.after) return false;
    if (rule.times !== undefined && live.hits >= rule.times) return false;
    if ((live.seen - (rule.after ?? 0)) % every !== 0) return false;
    if (rule.probability !== undefined && this.random() >= rule.probability) return false;
    live.hits++;
    return true;
  }

  /** The server asks this once per request. */
  decide(request: RequestInfo): FaultDecision {
    let delayMs = this.baseLatency + (this.baseJitter > 0 ? this.random() * this.baseJitter : 0);
    let action: FaultDecision['action'];
    for (const live of this.rules) {
      const rule = live.rule;
      if (!matches(rule, request)) continue;
      if (rule.action.type !== 'latency' && action) continue;
      if (!this.fires(live)) continue;
      if (rule.action.type === 'latency') delayMs += rule.action.ms + (rule.action.jitterMs ? this.random() * rule.action.jitterMs : 0);
      else action = rule.action;
    }
    return { delayMs, action };
  }

  /**
   * The error a write of one record should fail with, if a rule says so. Accepts `(objectName, values)`
   * or a context object (the Bulk API passes `{ api, objectName, operation, index }`).
   */
  recordFailure(contextOrObject: string | RecordFaultContext, values?: SObjectValues): SfErrorItem | undefined {
    const context: RecordFaultContext = typeof contextOrObject === 'string' ? { objectName: contextOrObject, values } : { ...contextOrObject, values: contextOrObject.values ?? values };
    for (const live of this.recordRules) {
      const rule = live.rule;
      if (rule.object && rule.object.toLowerCase() !== context.objectName.toLowerCase()) continue;
      if (rule.api && rule.api !== context.api) continue;
      if (rule.operation && rule.operation !== context.operation) continue;
      if (rule.when && !rule.when(context.values, context)) continue;
      if (!this.fires(live, rule.every ?? 1)) continue;
      return rule.error ?? { statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record or 1 records', fields: [] };
    }
    return undefined;
  }
}

function matches(rule: FaultMatch, request: RequestInfo): boolean {
  if (rule.method && rule.method.toUpperCase() !== request.method) return false;
  if (rule.label !== undefined && !(typeof rule.label === 'string' ? rule.label === request.label : rule.label.test(request.label))) return false;
  if (rule.path !== undefined && !(typeof rule.path === 'string' ? request.path.includes(rule.path) : rule.path.test(request.path))) return false;
  return true;
}
