import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * What a signature covers: enough that no part of a request can be changed, moved to another
 * subgraph, or sent twice. Every part is a header or the request line, so a subgraph can check
 * the whole signature before it reads the body; the body is bound by its digest and length.
 */
export interface SignedParts {
  method: string;
  /** The request path with its query string, as the subgraph receives it. */
  path: string;
  /** The name of the subgraph the request is for, so that it is refused by every other one. */
  audience: string;
  /** Milliseconds since the epoch, as sent in the timestamp header. */
  timestamp: string;
  /** The nonce header: new for every request, remembered by the subgraph while the signature is valid. */
  nonce: string;
  /** The body digest header (`sha256=…;length=…`, see bodyDigest.ts). */
  bodyDigest: string;
  /** The request id header; empty when absent. */
  requestId: string;
  /** The deadline header; empty when absent. */
  deadline: string;
  /** The identity header; empty for an anonymous request. */
  identity: string;
}

/** Version tag of the signing scheme, so that it can change without ambiguity. */
export const signatureVersion = 'v2';

// No part may contain a line break, or two different requests could sign the same text. Every
// part is a header value (which cannot hold one) or the method, path and audience, checked here,
// on the signed text at once: exactly ten lines, none with a carriage return.
const tenSafeLines = /^[^\r\n]*(?:\n[^\r\n]*){9}$/;

/**
 * The HMAC-SHA256 (hex) of a request's parts, one per line after the version tag: method, path,
 * audience, timestamp, nonce, body digest, request id, deadline, identity.
 */
export function computeSignature(secret: string, parts: SignedParts): string {
  return signatureOf(
    secret,
    parts.method,
    parts.path,
    parts.audience,
    parts.timestamp,
    parts.nonce,
    parts.bodyDigest,
    parts.requestId,
    parts.deadline,
    parts.identity,
  );
}

/**
 * `computeSignature` with the parts one by one, for the gateway's signing of every subgraph
 * request: no parts object, no array of lines, one template string hashed.
 */
export function signatureOf(
  secret: string,
  method: string,
  path: string,
  audience: string,
  timestamp: string,
  nonce: string,
  bodyDigest: string,
  requestId: string,
  deadline: string,
  identity: string,
): string {
  const text = `${signatureVersion}\n${method.toUpperCase()}\n${path}\n${audience}\n${timestamp}\n${nonce}\n${bodyDigest}\n${requestId}\n${deadline}\n${identity}`;
  if (!tenSafeLines.test(text)) throw new TypeError('A signed part of a subgraph request holds a line break.');
  return `${signatureVersion}=${createHmac('sha256', keyOf(secret)).update(text).digest('hex')}`;
}

// The secret as a key object, made once: HMAC from a string key converts it on every call.
let key: { secret: string; object: KeyObject } | undefined;
function keyOf(secret: string): KeyObject {
  if (key?.secret !== secret) key = { secret, object: createSecretKey(Buffer.from(secret, 'utf8')) };
  return key.object;
}
