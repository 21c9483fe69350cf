// Retries for the faults a Salesforce integration meets: 5xx, 429, dropped connections, timeouts and
// row locks. Backoff is exponential with full jitter so replicas never retry in lock step.
// Only idempotent operations are retried (reads and upserts by external id).

export class ApiLimitExceededError extends Error {
  override name = 'ApiLimitExceededError';
  constructor(message = 'Salesforce reports REQUEST_LIMIT_EXCEEDED: the org used its daily API allocation.') {
    super(message);
  }
}

export class SessionRefreshFailedError extends Error {
  override name = 'SessionRefreshFailedError';
}

const RETRYABLE_CODES = new Set([
  'SERVER_ERROR',
  'UNKNOWN_EXCEPTION', // Salesforce's 500 body; transient more often than not, and we only retry idempotent calls
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  'ERROR_HTTP_429',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ABORT_ERR',
  'TIMEOUT',
]);

export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { errorCode?: unknown; code?: unknown; cause?: unknown; name?: unknown };
  if (typeof candidate.errorCode === 'string') return candidate.errorCode;
  if (typeof candidate.code === 'string') return candidate.code;
  if (candidate.cause) return errorCodeOf(candidate.cause);
  return undefined;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiLimitExceededError || error instanceof SessionRefreshFailedError) return false;
  const code = errorCodeOf(error);
  if (code && RETRYABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /fetch failed|socket hang up|ECONNRESET|timed? ?out|other side closed|terminated/i.test(message);
}

export interface RetryPolicy {
  attempts: number; // total tries, including the first
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout; a hung request counts as a retryable failure. */
  timeoutMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000, timeoutMs: 120_000 };

export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/** Runs `operation` with retries; `REQUEST_LIMIT_EXCEEDED` is converted to ApiLimitExceededError. */
export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, onRetry?: (error: unknown, attempt: number) => void): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTimeout(operation(), policy.timeoutMs);
    } catch (error) {
      if (errorCodeOf(error) === 'REQUEST_LIMIT_EXCEEDED') throw new ApiLimitExceededError();
      if (attempt + 1 >= policy.attempts || !isRetryable(error)) throw error;
      onRetry?.(error, attempt + 1);
      await sleep(backoffDelay(attempt, policy));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`Salesforce did not answer within ${ms} ms.`), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
