import { createHmac } from 'node:crypto';

/**
 * An HS256-signed JWT with exactly the header and payload given, whatever they hold (a header
 * `alg` with CR/LF, a `sub` outside Latin-1): JWT libraries refuse to sign what an attacker can
 * still send.
 */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const encode = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signed = `${encode(header)}.${encode(payload)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}
