import { hash } from 'node:crypto';

/** A body's digest and length, as the signed `x-portico-body-digest` header carries them. */
export interface BodyDigest {
  /** SHA-256 of the body's bytes, base64url. */
  sha256: string;
  /** The body's length in bytes. */
  length: number;
}

/** The header value for a body: `sha256=<base64url>;length=<bytes>`. */
export function bodyDigestOf(body: string | Uint8Array): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return `sha256=${hash('sha256', body, 'base64url')};length=${length}`;
}

// Exactly what bodyDigestOf writes: 43 base64url characters, a length of at most 15 digits.
const format = /^sha256=([A-Za-z0-9_-]{43});length=(\d{1,15})$/;

/** The digest a header holds, or undefined when it is not one `bodyDigestOf` could have written. */
export function parseBodyDigest(header: string): BodyDigest | undefined {
  const match = format.exec(header);
  return match ? { sha256: match[1]!, length: Number(match[2]) } : undefined;
}
