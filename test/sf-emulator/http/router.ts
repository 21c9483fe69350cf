// Matches request paths against route patterns (`/services/data/:version/sobjects/:object/:id`).
// Literal segments win over parameters, so `sobjects/Account/describe` never reads as a record id.
import type { RouteHandler, RouteModule } from '../contracts.ts';

export interface MountedRoute {
  module: string;
  method: string;
  pattern: string;
  handler: RouteHandler;
  auth: boolean;
  label: string;
  /** True when the module named the label; SOAP routes without one are labelled by operation. */
  explicitLabel: boolean;
  segments: string[];
}

export interface RouteMatch {
  route: MountedRoute;
  params: Record<string, string>;
}

const VERSION = /^v\d+\.\d+$/;
const VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', PUT: 'upload', PATCH: 'update', DELETE: 'delete', HEAD: 'head' };

/** `bulk2` + `PUT /services/data/:version/jobs/ingest/:jobId/batches` → `bulk2.ingest.batches.upload`. */
export function derivedLabel(moduleName: string, method: string, pattern: string): string {
  const segments = pattern.split('/').filter(Boolean);
  const versionAt = segments.findIndex((s) => s === ':version' || s === ':apiVersion');
  const rest = (versionAt >= 0 ? segments.slice(versionAt + 1) : segments.slice(1)).filter((s) => !s.startsWith(':'));
  if (rest[0] === 'jobs' || rest[0]?.toLowerCase() === moduleName.toLowerCase()) rest.shift();
  return [moduleName, ...rest, VERBS[method.toUpperCase()] ?? method.toLowerCase()].join('.');
}

function compare(a: MountedRoute, b: MountedRoute): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const aParam = (a.segments[i] as string).startsWith(':');
    const bParam = (b.segments[i] as string).startsWith(':');
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  return 0;
}

export class Router {
  private readonly routes: MountedRoute[] = [];

  mount(module: RouteModule, labelled = false): void {
    for (const route of module.routes) {
      const method = route.method.toUpperCase();
      this.routes.push({
        module: module.name,
        method,
        pattern: route.pattern,
        handler: route.handler,
        auth: route.auth !== false,
        label: route.label ? (labelled ? route.label : `${module.name}.${route.label}`) : derivedLabel(module.name, method, route.pattern),
        explicitLabel: Boolean(route.label),
        segments: route.pattern.split('/').filter(Boolean),
      });
    }
    this.routes.sort(compare);
  }

  private static params(route: MountedRoute, parts: string[]): Record<string, string> | undefined {
    if (route.segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const segment = route.segments[i] as string;
      const part = parts[i] as string;
      if (segment.startsWith(':')) {
        if (segment === ':version' && !VERSION.test(part)) return undefined;
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          params[segment.slice(1)] = part;
        }
      } else if (segment !== part) return undefined;
    }
    return params;
  }

  /** The route for `method path`, or the methods the path allows (for a 405), or nothing (404). */
  match(method: string, path: string): RouteMatch | { allowed: string[] } | undefined {
    const parts = path.split('/').filter(Boolean);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = Router.params(route, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      allowed.add(route.method);
    }
    return allowed.size > 0 ? { allowed: [...allowed] } : undefined;
  }
}

/** `/services//data/v62.0/x/` → `/services/data/v62.0/x`. */
export function normalizePath(raw: string): string {
  const collapsed = raw.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

