// `/composite`: up to 25 REST subrequests in one call, run in order, each able to use earlier results
// through `@{referenceId.path}`; `allOrNone` rolls every write back when one subrequest fails.
import type { EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import { errorReply, requireJsonObject } from '../http/replies.ts';
import { asRecord } from './record-input.ts';
import type { RouteContext } from './context.ts';

const MAX_SUBREQUESTS = 25;
const REFERENCE = /@\{([A-Za-z_][A-Za-z0-9_]*)\.([^}]+)\}/g;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

class UnresolvedReference extends Error {}

/** Reads `records[0].Id` style paths out of an earlier subrequest's body. */
function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function substitute(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([A-Za-z_][A-Za-z0-9_]*)\.([^}]+)\}$/.exec(value);
    const lookup = (ref: string, path: string) => {
      if (!results.has(ref)) throw new UnresolvedReference(`Invalid reference specified. No value for ${ref}.${path} found in ${ref}. Provided referenceId ('${ref}') must be a previously defined referenceId.`);
      const found = readPath(results.get(ref), path);
      if (found === undefined) throw new UnresolvedReference(`Invalid reference specified. No value for ${ref}.${path} found in ${ref}.`);
      return found;
    };
    if (whole) return lookup(whole[1] as string, whole[2] as string);
    return value.replace(REFERENCE, (_, ref: string, path: string) => String(lookup(ref, path)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  return value;
}

function halted(referenceId: string, message = 'The transaction was rolled back since another operation in the same transaction failed.'): Record<string, unknown> {
  return { body: [{ errorCode: 'PROCESSING_HALTED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId };
}

function composite(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const problem = requireJsonObject(request);
  if (problem) return problem;
  const payload = asRecord(request.json) ?? {};
  const subrequests = payload.compositeRequest;
  if (!Array.isArray(subrequests) || subrequests.length === 0) return errorReply(400, 'JSON_PARSER_ERROR', 'compositeRequest must be a non-empty array');
  if (subrequests.length > MAX_SUBREQUESTS) return errorReply(400, 'INVALID_BATCH_REQUEST', `Composite request cannot have more than ${MAX_SUBREQUESTS} subrequests`);
  const parsed: Subrequest[] = [];
  for (const raw of subrequests) {
    const sub = asRecord(raw);
    if (!sub || typeof sub.method !== 'string' || typeof sub.url !== 'string' || typeof sub.referenceId !== 'string') {
      return errorReply(400, 'JSON_PARSER_ERROR', 'Every subrequest needs method, url and referenceId');
    }
    parsed.push(sub as unknown as Subrequest);
  }
  const allOrNone = payload.allOrNone === true;
  const results = new Map<string, unknown>();
  const responses: Array<Record<string, unknown>> = [];
  let failedAt = -1;

  ctx.org.atomically(
    () => {
      for (const [index, sub] of parsed.entries()) {
        if (allOrNone && failedAt >= 0) {
          responses.push(halted(sub.referenceId));
          continue;
        }
        let url: string;
        let body: unknown;
        try {
          url = String(substitute(sub.url, results));
          body = substitute(sub.body, results);
        } catch (error) {
          if (!(error instanceof UnresolvedReference)) throw error;
          responses.push(halted(sub.referenceId, error.message));
          if (failedAt < 0) failedAt = index;
          continue;
        }
        const target = new URL(url, 'http://composite');
        if (!target.pathname.startsWith('/services/data/') || /\/composite\/?$/.test(target.pathname)) {
          responses.push({ body: [{ errorCode: 'INVALID_BATCH_REQUEST', message: `${target.pathname} is not a supported composite subrequest` }], httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
          if (failedAt < 0) failedAt = index;
          continue;
        }
        const rawBody = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
        const reply = ctx.dispatch({
          method: sub.method.toUpperCase(),
          path: target.pathname,
          query: target.searchParams,
          headers: { ...sub.httpHeaders, 'content-type': 'application/json' },
          rawBody,
          json: body,
          userId: request.userId,
        });
        results.set(sub.referenceId, reply.body);
        responses.push({ body: reply.body ?? null, httpHeaders: reply.headers ?? {}, httpStatusCode: reply.status, referenceId: sub.referenceId });
        if (reply.status >= 400 && failedAt < 0) failedAt = index;
      }
    },
    () => !(allOrNone && failedAt >= 0),
  );
  if (allOrNone && failedAt >= 0) {
    for (let i = 0; i < responses.length; i++) if (i !== failedAt && (responses[i]?.httpStatusCode as number) < 400) responses[i] = halted(String(responses[i]?.referenceId));
  }
  return { status: 200, body: { compositeResponse: responses } };
}

export function compositeRoutes(ctx: RouteContext): RouteModule {
  return {
    name: 'composite',
    routes: [{ method: 'POST', pattern: '/services/data/:version/composite', handler: (r) => composite(ctx, r), label: 'composite' }],
  };
}
