import { ErrorCode } from '../errorCodes.js';
import { HttpError } from './HttpError.js';

const ORIGIN = 'http://server.invalid';
// An absolute-form target's scheme and authority (`http://host:port`), before its path.
const SCHEME_AND_AUTHORITY = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/**
 * A request's target (`req.url`) as a URL, its path exactly as the client sent it. Node accepts
 * targets the URL parser does not (an absolute form such as `http://[/`), and ones it would
 * resolve to another path: `/./metrics`, `/graphql/../metrics`, `/%2e/metrics` and
 * `/a\..\metrics` all name `/metrics` to a URL parser, and `//host/metrics` would be read as a
 * host and `/metrics`. A proxy or balancer in front that allows or denies by path prefix (deny
 * `/metrics` to the public) sees the raw text, so the gateway must route the same text or refuse
 * it: any target whose path a URL parser would change is refused with 400, never routed.
 */
export function parseRequestTarget(target: string | undefined): URL {
  const raw = target ?? '/';
  const authority = raw.startsWith('/') ? undefined : SCHEME_AND_AUTHORITY.exec(raw)?.[0];
  let url: URL;
  try {
    if (!raw.startsWith('/') && authority === undefined) throw new TypeError('neither a path nor an absolute URL');
    // Appended to an origin, not resolved against it: `//host/x` stays a path.
    url = new URL(authority === undefined ? ORIGIN + raw : raw);
  } catch {
    throw new HttpError(ErrorCode.BAD_REQUEST, 'The request target is not a valid URL; send a path such as /graphql');
  }
  const rest = authority === undefined ? raw : raw.slice(authority.length);
  const end = rest.search(/[?#]/);
  const path = (end === -1 ? rest : rest.slice(0, end)) || '/';
  if (url.pathname !== path) {
    throw new HttpError(
      ErrorCode.BAD_REQUEST,
      "The request path is not in normal form ('.' or '..' segments, backslashes, or characters that must be percent-encoded); send it as it is served, such as /graphql",
    );
  }
  return url;
}
