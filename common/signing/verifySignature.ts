import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Headers } from '../headers.js';
import { parseBodyDigest, type BodyDigest } from './bodyDigest.js';
import { computeSignature, signatureVersion } from './signingPayload.js';

export interface VerifyOptions {
  secret: string;
  method: string;
  path: string;
  /** The name of the subgraph verifying: a request signed for another one is refused. */
  audience: string;
  headers: IncomingHttpHeaders;
  /** How old a signature may be, and how far in the future, in milliseconds. */
  maxAgeMs: number;
  /** @default Date.now() */
  now?: number;
}

/** A request whose headers carry a valid signature; its body is still to be checked against `body`. */
export interface SignedHeaders {
  ok: true;
  /** The nonce to remember until `expiresAt`, and refuse when seen again. */
  nonce: string;
  /** When the signature stops being accepted (epoch ms): the nonce need not be kept longer. */
  expiresAt: number;
  /** The digest and length the body must have. */
  body: BodyDigest;
}

export type Verification = SignedHeaders | { ok: false; reason: string };

// 16 random bytes in base64url is 22 characters; other lengths are allowed within reason.
const nonceFormat = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Checks the signature of a request the gateway signed, from its headers alone, before any of
 * the body is read: present, of this scheme, recent, for this subgraph, and matching the method,
 * path, nonce, body digest, request id, deadline and identity. The reason names the failed check
 * for the log and the 401 body; it never holds the expected signature. Never throws.
 */
export function verifySignedHeaders(options: VerifyOptions): Verification {
  const { headers } = options;
  const signature = single(headers[Headers.signature]);
  const timestamp = single(headers[Headers.timestamp]);
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'the request is not signed by the gateway' };
  if (!signature.startsWith(`${signatureVersion}=`)) {
    return { ok: false, reason: `the signature is not of scheme ${signatureVersion} (gateway and subgraph must be of releases that sign alike)` };
  }
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'the signature timestamp is malformed' };
  const signedAt = Number(timestamp);
  const age = (options.now ?? Date.now()) - signedAt;
  if (Math.abs(age) > options.maxAgeMs) {
    return {
      ok: false,
      reason: `the signature is ${age > 0 ? 'stale' : 'from the future'} (${Math.round(age / 1000)} s; at most ${options.maxAgeMs / 1000} s allowed)`,
    };
  }
  const nonce = single(headers[Headers.nonce]);
  if (nonce === undefined || !nonceFormat.test(nonce)) return { ok: false, reason: 'the signature nonce is missing or malformed' };
  const digestHeader = single(headers[Headers.bodyDigest]);
  const body = digestHeader === undefined ? undefined : parseBodyDigest(digestHeader);
  if (digestHeader === undefined || body === undefined) return { ok: false, reason: 'the body digest header is missing or malformed' };
  const optional: Record<string, string> = {};
  for (const name of [Headers.requestId, Headers.deadline, Headers.identity]) {
    const value = headers[name];
    if (Array.isArray(value)) return { ok: false, reason: `the header ${name} is repeated` };
    optional[name] = value ?? '';
  }
  let expected: string;
  try {
    expected = computeSignature(options.secret, {
      method: options.method,
      path: options.path,
      audience: options.audience,
      timestamp,
      nonce,
      bodyDigest: digestHeader,
      requestId: optional[Headers.requestId]!,
      deadline: optional[Headers.deadline]!,
      identity: optional[Headers.identity]!,
    });
  } catch {
    return { ok: false, reason: 'the request holds a line break where none can be signed' };
  }
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: 'the signature does not match the request (or the request is for another subgraph)' };
  }
  return { ok: true, nonce, expiresAt: signedAt + options.maxAgeMs, body };
}

/** Whether a body read in full is the one the signed digest names. */
export function bodyMatchesDigest(body: Uint8Array, digest: BodyDigest): boolean {
  if (body.byteLength !== digest.length) return false;
  const given = hash('sha256', body, 'buffer');
  const wanted = Buffer.from(digest.sha256, 'base64url');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
