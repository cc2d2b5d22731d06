import { createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto';
import { identityHeaders } from '../headers.js';

/** What a signature covers: enough that no part of a request can be changed or moved. */
export interface SignedParts {
  method: string;
  /** The request path with its query string, as the subgraph receives it. */
  path: string;
  /** The exact body bytes (or text) sent. */
  body: string | Uint8Array;
  /** The identity headers' values; a missing header signs as empty. */
  identity: Partial<Record<(typeof identityHeaders)[number], string>>;
  /** Milliseconds since the epoch, as sent in the timestamp header. */
  timestamp: string;
}

/** Version tag of the signing scheme, so that it can change without ambiguity. */
export const signatureVersion = 'v1';

/**
 * The HMAC-SHA256 (hex) of a request's parts: method, path, timestamp, body digest and the
 * identity headers, one per line. Identity headers are signed because they are what a forger
 * would want to change.
 */
export function computeSignature(secret: string, parts: SignedParts): string {
  const bodyDigest = hash('sha256', parts.body, 'hex');
  const lines = [
    signatureVersion,
    parts.method.toUpperCase(),
    parts.path,
    parts.timestamp,
    bodyDigest,
    ...identityHeaders.map((name) => parts.identity[name] ?? ''),
  ];
  return `${signatureVersion}=${createHmac('sha256', keyOf(secret)).update(lines.join('\n')).digest('hex')}`;
}

// The secret as a key object, made once: HMAC from a string key converts it on every call.
let key: { secret: string; object: KeyObject } | undefined;
function keyOf(secret: string): KeyObject {
  if (key?.secret !== secret) key = { secret, object: createSecretKey(Buffer.from(secret, 'utf8')) };
  return key.object;
}
