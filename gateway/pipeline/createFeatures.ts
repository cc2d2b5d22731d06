import type { GraphQLSchema } from 'graphql';
import type { PersistedQueryOptions } from '@apollo/server';
import type { RedisClient } from '../traffic/createRedisClient.js';
import type { Logger } from '../../common/createLogger.js';
import { createByteBudget } from '../../common/http/createByteBudget.js';
import { createAuthenticator, type Authenticator } from '../auth/createAuthenticator.js';
import type { PolicyDecider } from '../authorization/loadPolicyModule.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { GatewayMetrics } from '../metrics/createGatewayMetrics.js';
import type { AddressResolver } from '../traffic/createAddressResolver.js';
import { addressGateOn, createAddressGate } from '../traffic/createAddressGate.js';
import { createAdmission } from '../traffic/createAdmission.js';
import { createAddressBudget } from '../traffic/createAddressBudget.js';
import { createKnownDocuments } from '../traffic/createKnownDocuments.js';
import { createLimiters, type Limiter } from '../traffic/createLimiters.js';
import { createOperationCost } from '../traffic/createOperationCost.js';
import { createRefusalHold } from '../traffic/createRefusalHold.js';
import { createTurnWaits } from '../traffic/createTurnWaits.js';
import type { CostDirectives } from '../traffic/readCostDirectives.js';
import { createAdmissionControl } from './admission/createAdmissionControl.js';
import { createAuthentication } from './authentication/createAuthentication.js';
import { createAuthorization } from './authorization/createAuthorization.js';
import { createBodyReading } from './bodyReading/createBodyReading.js';
import { createDemandControl } from './demandControl/createDemandControl.js';
import { createDocumentLimits } from './documentLimits/createDocumentLimits.js';
import { createFailedRequestLog } from './failedRequestLog/createFailedRequestLog.js';
import type { Feature } from './Feature.js';
import { createOperationRecording } from './operationRecording/createOperationRecording.js';
import type { OperationStore } from './operationRecording/RecordedOperation.js';
import { createPersistedDocuments } from './persistedDocuments/createPersistedDocuments.js';
import { createAddressConcurrency } from './rateLimits/createAddressConcurrency.js';
import { createAddressRateLimit } from './rateLimits/createAddressRateLimit.js';
import { createAuthFailureBudget } from './rateLimits/createAuthFailureBudget.js';
import { createClientRefusalHold } from './rateLimits/createClientRefusalHold.js';
import { createNewDocumentBudget } from './rateLimits/createNewDocumentBudget.js';
import { createRateLimits } from './rateLimits/createRateLimits.js';
import { createRequestMetrics } from './requestMetrics/createRequestMetrics.js';
import { createVariableCoercion } from './variableCoercion/createVariableCoercion.js';

export interface FeatureDeps {
  logger: Logger;
  /** Undefined with `metrics.enabled: false`. */
  metrics: GatewayMetrics | undefined;
  /** The shared Redis connection, where rate limiting or APQ keep their state there. */
  redis: RedisClient | null;
  /** A client's address through `rateLimit.trustedProxies`. */
  addressOf: AddressResolver;
  /** The cost directives of the supergraph being served. */
  costDirectives: (schema: GraphQLSchema) => CostDirectives;
  /** The operator's `@policy` decider (`authorization.policyModule`), loaded. */
  decidePolicies: PolicyDecider | null;
}

export interface Features {
  /** Every cross-cutting feature, in the order a request meets it. */
  features: Feature[];
  /** Apollo Server's APQ option (see createPersistedDocuments). */
  persistedQueries: PersistedQueryOptions | false;
  /** The operations the gateway has executed (`operationRecording`); null when it is off. */
  operations: OperationStore | null;
  /** Authentication's: the WebSocket transport checks a connection's token with it at `connection_init`. */
  authenticator: Authenticator;
}

/**
 * The request path: one factory call per feature, in the order a GraphQL request meets them.
 * The HTTP layer runs their `arrive` and `handle` hooks in this order, Apollo Server their
 * plugins, the gateway their `execute` hooks, and the transport their `finish` hooks once the
 * request is answered. A feature that is off is still listed (without hooks), so that this
 * list reads the same whatever the config. Its order is the gateway's behaviour (which error a
 * request that breaks two rules gets; what has counted against a client when it is refused):
 * `test/gateway/pipeline/createFeatures.test.ts` pins it.
 */
export function createFeatures(config: GatewayConfig, deps: FeatureDeps): Features {
  const { logger, metrics, redis, addressOf } = deps;
  const { server, rateLimit } = config;
  const limiters = rateLimit.enabled ? createLimiters(rateLimit, redis, config.redis.keyPrefix) : null;
  const cost = createOperationCost(config.demandControl, deps.costDirectives);
  // First: a manifest that cannot be read is a ConfigError, and nothing is left running.
  const persistedDocuments = createPersistedDocuments({
    persistedQueries: config.persistedQueries,
    trustedDocuments: config.trustedDocuments,
    limits: config.limits,
    redis,
    keyPrefix: config.redis.keyPrefix,
    logger,
  });
  const operationRecording = createOperationRecording({
    config: config.operationRecording,
    clientNameHeader: config.metrics.clientNameHeader,
    clientVersionHeader: config.metrics.clientVersionHeader,
    redis,
    keyPrefix: config.redis.keyPrefix,
    logger,
  });
  const admission = createAdmission(server.admission);
  const authenticator = createAuthenticator(config.authentication, logger.child({ component: 'authentication' }));
  metrics?.observeAdmission(admission.state);
  const addressGate = addressGateOn(rateLimit)
    ? createAddressGate({ maxInFlight: rateLimit.perAddress.maxInFlight, waitTimeoutMs: server.admission.queueTimeoutMs })
    : null;
  if (addressGate) metrics?.observeAddressGate(addressGate.state);
  const turns = createTurnWaits();
  metrics?.observeTurnWaits(turns.waiting);
  // One hold for every per-address refusal: its bounds (per address, in all) are the address's whatever it is over.
  const hold =
    rateLimit.perAddress.holdRefusalsMs > 0
      ? createRefusalHold({ holdMs: rateLimit.perAddress.holdRefusalsMs, maxPerAddress: rateLimit.perAddress.maxHeldRequests })
      : null;
  const budget = (limiter: Limiter | null | undefined, message: (limiter: Limiter, retryAfterSeconds: number) => string) =>
    limiter ? createAddressBudget({ limiter, onStoreError: rateLimit.onStoreError, hold, logger, message: (seconds) => message(limiter, seconds) }) : null;
  const knownDocuments = createKnownDocuments();
  const features: Feature[] = [
    createAddressRateLimit({
      limiter: limiters?.address ?? null,
      addressOf,
      onStoreError: rateLimit.onStoreError,
      hold,
      logger,
    }),
    // Charges (and, past its budget, holds) authentication's 401s on their way out: from outside
    // the address gate, so a held one keeps none of the address's places.
    createAuthFailureBudget(budget(limiters?.authFailures, authFailuresMessage)),
    // Holds the per-client rules' 429s on their way out, from outside the gate too (they are decided inside Apollo Server, below).
    createClientRefusalHold(limiters ? hold : null),
    // The first step to do any work: an address's requests past its rate limit are worked on at most this many at once.
    createAddressConcurrency(addressGate),
    createAuthentication(authenticator),
    createBodyReading({
      bodyLimitBytes: server.bodyLimitBytes,
      bodyTimeoutMs: server.bodyTimeoutMs,
      bodyBudget: createByteBudget(server.maxBodyBytesInFlight, bodyShareOf(server)),
      limits: config.limits,
      // Charged from content-length before the body is read.
      bytesBudget: budget(limiters?.bodyBytes, bodyBytesMessage),
    }),
    // Before the document limits tokenize a document the gateway has not accepted before.
    createNewDocumentBudget({
      budget: budget(limiters?.newDocuments, newDocumentsMessage),
      known: knownDocuments,
      maxBatchSize: config.limits.maxBatchSize,
    }),
    createDocumentLimits(config.limits, knownDocuments),
    createAdmissionControl(admission, { waitsOutside: limiters !== null && rateLimit.pace.maxDelayMs > 0 }),
    // Apollo Server parses and validates here. Unknown operation names refused; variables coerced once, for every stage after it.
    createVariableCoercion(),
    persistedDocuments,
    // They charge the estimated cost, but not for an operation demand control refuses.
    createRateLimits({
      config: rateLimit,
      limiters,
      redis,
      keyPrefix: config.redis.keyPrefix,
      addressOf,
      cost,
      maxCost: config.demandControl.maxCost,
      turns,
      logger,
    }),
    createDemandControl(config.demandControl, cost),
    createAuthorization({ unauthorized: config.authorization.unauthorized, decidePolicies: deps.decidePolicies, logger }),
    // What was let through to execution, with its client: for `portico check` and `portico usage`.
    operationRecording,
    // Portico's executor plans and runs the operation here (see createPipelineGateway).
    createRequestMetrics({ metrics, ...config.metrics }),
    createFailedRequestLog(logger),
  ];
  return { features, persistedQueries: persistedDocuments.persistedQueries, operations: operationRecording.store, authenticator };
}

function newDocumentsMessage(limiter: Limiter, retryAfterSeconds: number): string {
  return `This address sent more than ${limiter.limit} operation documents the gateway had not seen before in ${limiter.windowSeconds} s (rateLimit.perAddress.newDocuments); retry in ${retryAfterSeconds} s. Send the same documents again with variables for what changes, or use persisted or trusted documents`;
}

// Only for a charge that refuses by itself; the auth-failure budget answers with the 401 it holds.
function authFailuresMessage(limiter: Limiter, retryAfterSeconds: number): string {
  return `This address made more than ${limiter.limit} requests that failed authentication in ${limiter.windowSeconds} s (rateLimit.perAddress.authFailures); retry in ${retryAfterSeconds} s`;
}

function bodyBytesMessage(limiter: Limiter, retryAfterSeconds: number): string {
  return `This address sent more than ${limiter.limit} bytes of request bodies in ${limiter.windowSeconds} s (rateLimit.perAddress.bodyBytes); retry in ${retryAfterSeconds} s`;
}

/**
 * The most body bytes one client may hold at once: an eighth of `maxBodyBytesInFlight`, and never
 * less than one whole body. One address sending large bodies slowly then leaves seven eighths
 * to everyone else.
 */
function bodyShareOf(server: GatewayConfig['server']): number {
  return Math.max(server.bodyLimitBytes, Math.floor(server.maxBodyBytesInFlight / 8));
}
