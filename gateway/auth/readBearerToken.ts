import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationFailure } from './AuthenticationFailure.js';

/**
 * The request's token: from `Authorization: Bearer …`, else from the configured cookie; null
 * when neither is there. An Authorization header of another shape is refused rather than
 * ignored, so a client that sends its token wrongly learns why it is anonymous.
 */
export function readBearerToken(headers: IncomingHttpHeaders, cookie: string | null): string | null {
  const authorization = headers.authorization;
  if (authorization !== undefined && authorization !== '') {
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization);
    if (!match) throw new AuthenticationFailure('the Authorization header must be "Bearer <token>"', 'invalid_request');
    return match[1]!;
  }
  if (cookie === null || headers.cookie === undefined) return null;
  for (const pair of headers.cookie.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === cookie) return decodeCookieValue(value.join('='), cookie);
  }
  return null;
}

// A cookie value the client percent-encoded badly is its mistake (400-class), not a crash.
function decodeCookieValue(raw: string, cookie: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AuthenticationFailure(`the cookie "${cookie}" is not valid percent-encoding`, 'invalid_request');
  }
}
