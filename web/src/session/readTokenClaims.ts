export interface TokenClaims {
  sub: string | null;
  scopes: string[];
  role: string | null;
  /** Expiry, ms since the epoch; null when the token has none. */
  expiresAt: number | null;
}

/**
 * The claims of a JWT, decoded for display only ("signed in as user 7, until 14:05"): the
 * browser cannot verify the signature and does not try. Null when it is not a JWT at all.
 */
export function readTokenClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const scope = claims.scope;
    return {
      sub: typeof claims.sub === 'string' ? claims.sub : null,
      scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : Array.isArray(scope) ? scope.filter((item) => typeof item === 'string') : [],
      role: typeof claims.role === 'string' ? claims.role : null,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    };
  } catch {
    return null;
  }
}
