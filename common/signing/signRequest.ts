import { Headers } from '../headers.js';
import { takeRandomBytes } from '../takeRandomBytes.js';
import { bodyDigestOf } from './bodyDigest.js';
import { signatureOf } from './signingPayload.js';

export interface RequestToSign {
  method: string;
  /** Path and query string of the target URL. */
  path: string;
  /** The name of the subgraph the request is for. */
  audience: string;
  body: string | Uint8Array;
  /** The outgoing headers, lower-case names; request id, deadline and identity among them are signed. */
  headers: Readonly<Record<string, string>>;
  /** @default Date.now() */
  now?: number;
  /** @default 16 random bytes, base64url */
  nonce?: string;
}

/** The timestamp, nonce, body digest and signature headers to add to a gateway → subgraph request. */
export function signRequest(secret: string, request: RequestToSign): Record<string, string> {
  const timestamp = String(request.now ?? Date.now());
  const nonce = request.nonce ?? takeRandomBytes(16).toString('base64url');
  const bodyDigest = bodyDigestOf(request.body);
  const { headers } = request;
  const signature = signatureOf(
    secret,
    request.method,
    request.path,
    request.audience,
    timestamp,
    nonce,
    bodyDigest,
    headers[Headers.requestId] ?? '',
    headers[Headers.deadline] ?? '',
    headers[Headers.identity] ?? '',
  );
  return { [Headers.timestamp]: timestamp, [Headers.nonce]: nonce, [Headers.bodyDigest]: bodyDigest, [Headers.signature]: signature };
}
