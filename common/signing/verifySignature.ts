import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Headers, identityHeaders } from '../headers.js';
import { computeSignature } from './signingPayload.js';

export interface VerifyOptions {
  secret: string;
  method: string;
  path: string;
  body: string | Uint8Array;
  headers: IncomingHttpHeaders;
  /** How old a signature may be, and how far in the future, in milliseconds. */
  maxAgeMs: number;
  /** @default Date.now() */
  now?: number;
}

export type Verification = { ok: true } | { ok: false; reason: string };

/**
 * Checks a request the gateway signed: the signature must be present, match every signed part,
 * and be recent. The reason names the failed check for the log and the 401 body; it never holds
 * the expected signature.
 */
export function verifySignature(options: VerifyOptions): Verification {
  const signature = single(options.headers[Headers.signature]);
  const timestamp = single(options.headers[Headers.timestamp]);
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'the request is not signed by the gateway' };
  const signedAt = Number(timestamp);
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'the signature timestamp is malformed' };
  const age = (options.now ?? Date.now()) - signedAt;
  if (Math.abs(age) > options.maxAgeMs) {
    return { ok: false, reason: `the signature is ${age > 0 ? 'stale' : 'from the future'} (${Math.round(age / 1000)} s; at most ${options.maxAgeMs / 1000} s allowed)` };
  }
  const identity: Record<string, string> = {};
  for (const name of identityHeaders) {
    const value = options.headers[name];
    if (Array.isArray(value)) return { ok: false, reason: `the header ${name} is repeated` };
    if (value !== undefined) identity[name] = value;
  }
  const expected = computeSignature(options.secret, { method: options.method, path: options.path, body: options.body, identity, timestamp });
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: 'the signature does not match the request' };
  }
  return { ok: true };
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
