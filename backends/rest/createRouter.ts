import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler sees: the parsed request, never the raw Node objects. */
export interface RestRequest {
  /** Decoded `:param` values. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request's headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** Reads and parses the JSON body (415, 413 and 400 as `HttpError`). */
  readJson(): Promise<unknown>;
}

export interface RestResponse {
  status: number;
  /** Sent as JSON; leave out for no body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  /** A path with `:name` segments, e.g. `/users/:id/reviews`. */
  pattern: string;
  handler(request: RestRequest): RestResponse | Promise<RestResponse>;
  /** Whether calls show in `/_admin/counts`. @default true */
  counted?: boolean;
}

export type RouteMatch = { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'wrongMethod'; allow: HttpMethod[] } | { kind: 'none' };

export interface Router {
  match(method: string, pathname: string): RouteMatch;
}

/** Matches a request to a route: 404 and 405 are told apart so a server can send `Allow`. */
export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes.map((route) => ({ route, segments: splitPath(route.pattern) }));
  return {
    match(method, pathname) {
      const segments = splitPath(pathname);
      const allow: HttpMethod[] = [];
      for (const { route, segments: pattern } of compiled) {
        const params = matchSegments(pattern, segments);
        if (!params) continue;
        if (route.method === method) return { kind: 'found', route, params };
        if (!allow.includes(route.method)) allow.push(route.method);
      }
      return allow.length > 0 ? { kind: 'wrongMethod', allow } : { kind: 'none' };
    },
  };
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

/** The params when `actual` fits `pattern`; an empty segment never fills a parameter. */
function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const value = actual[i]!;
    if (part.startsWith(':')) {
      if (value === '') return undefined;
      params[part.slice(1)] = decodeSegment(value);
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(ErrorCode.BAD_REQUEST, `malformed percent-encoding in path segment '${value}'`);
  }
}
