import { decodeHeaderJson, encodeHeaderJson } from './headerJson.js';

/** The caller, as the gateway tells a subgraph in the `x-portico-identity` header. */
export interface ForwardedIdentity {
  /** The token's subject (`sub`). */
  sub: string;
  scopes: readonly string[];
  /** The claims the gateway is configured to forward. */
  claims: Readonly<Record<string, unknown>>;
}

/** The identity header's value: header-safe JSON (see encodeHeaderJson), lossless for any text. */
export function encodeIdentity(identity: ForwardedIdentity): string {
  return encodeHeaderJson({ sub: identity.sub, scopes: identity.scopes, claims: identity.claims });
}

/**
 * The identity a header holds, or why it is not one. The header is signed, so a malformed one is
 * a gateway of another version (or a bug), never a caller's doing; it is refused all the same.
 */
export function decodeIdentity(text: string): { ok: true; identity: ForwardedIdentity } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = decodeHeaderJson(text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'is not a JSON object' };
  const { sub, scopes, claims } = parsed;
  if (typeof sub !== 'string' || sub === '') return { ok: false, reason: 'has no subject ("sub")' };
  if (!Array.isArray(scopes) || !scopes.every((scope): scope is string => typeof scope === 'string')) {
    return { ok: false, reason: 'has no list of scopes ("scopes")' };
  }
  if (!isObject(claims)) return { ok: false, reason: 'has no claims object ("claims")' };
  return { ok: true, identity: { sub, scopes, claims } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
