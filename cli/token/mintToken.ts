import jwt from 'jsonwebtoken';

export interface MintOptions {
  subject: string;
  scopes: readonly string[];
  /** Extra claims; values that parse as JSON (numbers, true, lists) are kept typed. */
  claims: Readonly<Record<string, string>>;
  secret: string;
  /** Lifetime in seconds. */
  expiresInSeconds: number;
  issuer?: string;
  audience?: string;
}

/** An HS256 token with `sub`, `scope` (space-separated) and the given claims. */
export function mintToken(options: MintOptions): string {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options.claims)) claims[name] = parseClaimValue(value);
  if (options.scopes.length > 0) claims.scope = options.scopes.join(' ');
  return jwt.sign(claims, options.secret, {
    algorithm: 'HS256',
    subject: options.subject,
    expiresIn: options.expiresInSeconds,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}

function parseClaimValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
