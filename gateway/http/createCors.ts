import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import type { CorsConfig } from '../config/GatewayConfig.js';
import { HttpError } from '../../common/http/HttpError.js';

export interface Cors {
  /** Adds the CORS headers an actual request from an allowed origin gets. */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /**
   * The answer to an OPTIONS request: the headers of a 204 for an allowed (or no) origin, or an
   * `HttpError` (403 `FORBIDDEN`) naming the refused origin.
   */
  preflight(req: IncomingMessage): Record<string, string> | HttpError;
  /**
   * Whether a request that browsers send without a preflight (a WebSocket upgrade) may go on:
   * one without `Origin` (not from a browser), from the gateway's own origin (its explorer), or
   * from an origin listed in `server.cors.origins`.
   */
  allowsOrigin(req: IncomingMessage): boolean;
  /**
   * Whether such a request may act with the browser's ambient credentials (its cookies): one
   * without `Origin`, from the gateway's own origin, or from a listed origin with
   * `server.cors.credentials` on. An origin let in by `"*"` alone may not: its page could
   * otherwise act as the visitor, which CORS forbids it for a fetch.
   */
  allowsCredentials(req: IncomingMessage): boolean;
}

const allowedMethods = 'GET, POST, OPTIONS';

/**
 * CORS for the GraphQL path, from `server.cors`. A request from an origin not listed still
 * runs (CSRF prevention guards against side effects) but gets no CORS headers, so the browser
 * does not hand the response to the page; a preflight from it is refused outright, with a
 * message that says which setting to change.
 */
export function createCors(config: CorsConfig): Cors {
  const anyOrigin = config.origins.includes('*');
  const listed = new Set(config.origins);
  const allowOriginFor = (origin: string): string | undefined => {
    if (anyOrigin) return config.credentials ? origin : '*';
    return listed.has(origin) ? origin : undefined;
  };
  const common = (origin: string): Record<string, string> => ({
    'access-control-allow-origin': origin,
    ...(anyOrigin && !config.credentials ? {} : { vary: 'Origin' }),
    ...(config.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
  });

  return {
    decorate(req, res) {
      const origin = req.headers.origin;
      const allowed = origin === undefined ? undefined : allowOriginFor(origin);
      if (allowed === undefined) {
        if (!anyOrigin) res.setHeader('vary', 'Origin');
        return;
      }
      for (const [name, value] of Object.entries(common(allowed))) res.setHeader(name, value);
      res.setHeader('access-control-expose-headers', HeaderNames.requestId);
    },

    preflight(req): Record<string, string> | HttpError {
      const origin = req.headers.origin;
      if (origin === undefined || req.headers['access-control-request-method'] === undefined) {
        return { allow: allowedMethods };
      }
      const allowed = allowOriginFor(origin);
      if (allowed === undefined) {
        return new HttpError(
          ErrorCode.FORBIDDEN,
          `Origin ${JSON.stringify(origin)} is not allowed to call this endpoint (add it to server.cors.origins)`,
          anyOrigin ? {} : { vary: 'Origin' },
        );
      }
      return {
        ...common(allowed),
        'access-control-allow-methods': allowedMethods,
        'access-control-allow-headers': config.allowHeaders.join(', '),
        'access-control-max-age': String(config.maxAgeSeconds),
      };
    },

    allowsOrigin(req) {
      const origin = req.headers.origin;
      if (origin === undefined || allowOriginFor(origin) !== undefined) return true;
      return sameHost(origin, req.headers.host);
    },

    allowsCredentials(req) {
      const origin = req.headers.origin;
      if (origin === undefined || sameHost(origin, req.headers.host)) return true;
      return config.credentials && listed.has(origin);
    },
  };
}

/** Whether `origin` names the host the request was sent to (a page of the gateway's own, such as its explorer). */
function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}
