import { Headers } from '../../common/headers.js';
import { encodeIdentity } from '../../common/identityHeader.js';
import type { Viewer } from '../GatewayContext.js';

/**
 * The header that tells a subgraph who is calling: subject, scopes and the claims the config
 * forwards, as header-safe JSON, so that any value an identity provider issues (any script, a
 * newline) arrives intact and can never make the request invalid. None for an anonymous
 * request. The gateway signs it, so a subgraph can trust it.
 */
export function identityHeadersOf(viewer: Viewer | null, forwardClaims: readonly string[]): Readonly<Record<string, string>> {
  if (viewer === null) return none;
  const known = encoded.get(viewer);
  if (known?.forwardClaims === forwardClaims) return known.headers;
  const claims: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const claim of forwardClaims) if (Object.hasOwn(viewer.claims, claim) && viewer.claims[claim] !== undefined) claims[claim] = viewer.claims[claim];
  const headers = Object.freeze({ [Headers.identity]: encodeIdentity({ sub: viewer.subject, scopes: viewer.scopes, claims }) });
  encoded.set(viewer, { forwardClaims, headers });
  return headers;
}

const none: Readonly<Record<string, string>> = Object.freeze({});

// Encoded once per caller: authentication checks its size, and each subgraph's requests carry it.
const encoded = new WeakMap<Viewer, { forwardClaims: readonly string[]; headers: Readonly<Record<string, string>> }>();
