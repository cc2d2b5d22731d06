import { developmentSecrets } from '../../common/developmentSecrets.js';
import type { NonceStore } from './nonces/NonceStore.js';

/** How a subgraph checks that a request comes from the gateway. */
export interface SigningPolicy {
  /** The secret the gateway signs with (PORTICO_SIGNING_SECRET). */
  secret: string;
  /**
   * Refuse requests without a signature. A request with a wrong one is refused either way.
   * @default true outside development
   */
  requireSignature: boolean;
  /**
   * How old a signature may be (and how far ahead, for clock skew), so that a captured request
   * cannot be replayed later.
   * @default 60000
   */
  maxAgeMs: number;
  /**
   * Where the nonces of accepted requests are remembered, so that a replayed request is refused.
   * The entry uses Redis when REDIS_URL is set (shared by the subgraph's replicas).
   * @default one in this process's memory, made and closed by the server
   */
  nonces?: NonceStore;
}

/**
 * The policy from the environment: PORTICO_SIGNING_SECRET (in development the development
 * secret when unset), PORTICO_SIGNATURE_MAX_AGE_MS. Outside development a missing secret, or
 * the public development one, stops the subgraph at start.
 */
export function signingPolicyFromEnv(env: NodeJS.ProcessEnv, development: boolean, maxAgeMs: number): SigningPolicy {
  const secret = env.PORTICO_SIGNING_SECRET || (development ? developmentSecrets.signing : undefined);
  if (secret === undefined)
    throw new TypeError("PORTICO_SIGNING_SECRET must be set outside development: the same secret as the gateway's subgraphSigning.secret.");
  if (!development && secret === developmentSecrets.signing)
    throw new TypeError('PORTICO_SIGNING_SECRET is the public development secret, which cannot be used in production.');
  if (secret.length < 16) throw new TypeError('PORTICO_SIGNING_SECRET must be at least 16 characters.');
  return { secret, requireSignature: !development, maxAgeMs };
}
