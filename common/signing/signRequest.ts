import { Headers, identityHeaders } from '../headers.js';
import { computeSignature } from './signingPayload.js';

export interface RequestToSign {
  method: string;
  /** Path and query string of the target URL. */
  path: string;
  body: string;
  /** The outgoing headers, lower-case names; the identity headers among them are signed. */
  headers: Readonly<Record<string, string>>;
  /** @default Date.now() */
  now?: number;
}

/** The timestamp and signature headers to add to a gateway → subgraph request. */
export function signRequest(secret: string, request: RequestToSign): Record<string, string> {
  const timestamp = String(request.now ?? Date.now());
  const identity: Record<string, string> = {};
  for (const name of identityHeaders) {
    const value = request.headers[name];
    if (value !== undefined) identity[name] = value;
  }
  const signature = computeSignature(secret, { method: request.method, path: request.path, body: request.body, identity, timestamp });
  return { [Headers.timestamp]: timestamp, [Headers.signature]: signature };
}
