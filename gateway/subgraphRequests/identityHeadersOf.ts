import { Headers } from '../../common/headers.js';
import type { Viewer } from '../GatewayContext.js';

/**
 * The headers that tell a subgraph who is calling: subject, scopes and the claims the config
 * forwards. None for an anonymous request. The gateway signs them, so a subgraph can trust them.
 */
export function identityHeadersOf(viewer: Viewer | null, forwardClaims: readonly string[]): Record<string, string> {
  if (viewer === null) return {};
  const headers: Record<string, string> = { [Headers.subject]: viewer.subject };
  if (viewer.scopes.length > 0) headers[Headers.scopes] = viewer.scopes.join(' ');
  const claims = Object.fromEntries(forwardClaims.filter((claim) => viewer.claims[claim] !== undefined).map((claim) => [claim, viewer.claims[claim]]));
  if (Object.keys(claims).length > 0) headers[Headers.claims] = JSON.stringify(claims);
  return headers;
}
