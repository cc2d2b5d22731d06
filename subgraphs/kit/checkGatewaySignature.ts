import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers } from '../../common/headers.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { BodyDigest } from '../../common/signing/bodyDigest.js';
import { verifySignedHeaders } from '../../common/signing/verifySignature.js';
import type { NonceStore } from './nonces/NonceStore.js';
import type { SigningPolicy } from './SigningPolicy.js';

/**
 * Runs before anything reads the identity headers or the body, for every request and every
 * WebSocket upgrade: a request that is not the gateway's, was changed on the way, was signed for
 * another subgraph, or was seen before never reaches a resolver, and its body is never read (the
 * refusal closes the connection). Without a signature at all, only development lets it through
 * (so a developer can query a subgraph directly), and then as anonymous. Resolves with the digest
 * the body must match when signed (length 0 for a body-less GET or upgrade).
 */
export async function checkGatewaySignature(
  policy: SigningPolicy,
  nonces: NonceStore,
  audience: string,
  req: IncomingMessage,
): Promise<BodyDigest | undefined> {
  if (req.headers[Headers.signature] === undefined && !policy.requireSignature) return undefined;
  const verdict = verifySignedHeaders({
    secret: policy.secret,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    audience,
    headers: req.headers,
    maxAgeMs: policy.maxAgeMs,
  });
  if (!verdict.ok) throw signatureRefusal(verdict.reason);
  let first: boolean;
  try {
    first = await nonces.claim(verdict.nonce, verdict.expiresAt);
  } catch {
    throw new HttpError(
      ErrorCode.SERVICE_NOT_READY,
      'The subgraph cannot check signed requests for replays now (its nonce store is unreachable); retry shortly.',
      { connection: 'close' },
    );
  }
  if (!first) throw signatureRefusal('the request was seen before (a replay)');
  return verdict.body;
}

/** The 401 for a request that is not the gateway's, with the failed check as its reason. */
export function signatureRefusal(reason: string): HttpError {
  return new HttpError(ErrorCode.UNAUTHENTICATED, `Request refused: ${reason}. This subgraph answers only requests signed by the Portico gateway.`, {
    connection: 'close',
  });
}
