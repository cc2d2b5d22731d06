import { Headers } from '../../common/headers.js';
import { subgraphHeaderLimits } from '../../common/http/subgraphHeaderLimits.js';
import type { AuthenticationConfig } from '../config/SecurityConfig.js';
import type { Viewer } from '../GatewayContext.js';
import { identityHeadersOf } from '../subgraphRequests/identityHeadersOf.js';
import { AuthenticationFailure } from './AuthenticationFailure.js';

/**
 * Refuses, at authentication, a caller whose identity would not fit the headers a subgraph reads:
 * `x-portico-identity` (every non-ASCII character escaped as 6 bytes) and, with `forwardToken`,
 * the client's `authorization`, over `subgraphHeaderLimits.identityBytes`. Sent anyway, every
 * subgraph would answer HTTP 431, which the client would read as the subgraph's failure. The
 * message shows neither the claims nor which of them are forwarded.
 */
export function checkIdentityFits(
  viewer: Viewer,
  config: Pick<AuthenticationConfig, 'forwardClaims' | 'forwardToken'>,
  authorization: string | undefined,
): void {
  // Both values are one byte a character: the identity is ASCII, and Node reads headers as Latin-1.
  let bytes = Headers.identity.length + (identityHeadersOf(viewer, config.forwardClaims)[Headers.identity]?.length ?? 0);
  if (config.forwardToken && authorization) bytes += 'authorization'.length + authorization.length;
  if (bytes <= subgraphHeaderLimits.identityBytes) return;
  throw new AuthenticationFailure(
    `the token's claims are too large to forward to the subgraphs (${bytes} bytes once encoded, over the ${subgraphHeaderLimits.identityBytes} allowed): use a token with a shorter subject and fewer or smaller claims`,
    'invalid_token',
  );
}
