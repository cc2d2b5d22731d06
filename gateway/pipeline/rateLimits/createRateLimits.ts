import type { RedisClient } from '../../traffic/createRedisClient.js';
import { GraphQLError } from 'graphql';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';
import { ErrorCode, httpStatusOf } from '../../../common/errorCodes.js';
import type { Logger } from '../../../common/createLogger.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { GatewayContext } from '../../GatewayContext.js';
import type { RateLimitConfig } from '../../config/TrafficConfig.js';
import type { AddressResolver } from '../../traffic/createAddressResolver.js';
import { createClientResolver } from '../../traffic/createClientResolver.js';
import { createKnownApiKeys } from '../../traffic/createKnownApiKeys.js';
import type { Limiter, Limiters } from '../../traffic/createLimiters.js';
import type { OperationCost, ResolvedRequest } from '../../traffic/createOperationCost.js';
import { rateLimitFields, type QuotaPolicy, type QuotaState } from '../../traffic/rateLimitFields.js';
import type { TurnWaits } from '../../traffic/createTurnWaits.js';
import { burstOf, turnDelayOf } from '../../traffic/turnDelayOf.js';
import type { Feature } from '../Feature.js';
import { coercedVariablesOf } from '../../execution/coercedVariablesOf.js';
import { fragmentsOf } from '../../operation/fragmentsOf.js';
import { rootFieldsOf } from '../../operation/rootFieldsOf.js';

export interface RateLimitsOptions {
  config: RateLimitConfig;
  /** The rules' counters; null with rate limiting off. The per-address rule is counted as a request arrives (createAddressRateLimit) and listed in `RateLimit-Policy` here. */
  limiters: Limiters | null;
  /** Where known API keys are kept with `rateLimit.store: redis`. */
  redis: RedisClient | null;
  keyPrefix: string;
  /** The client address, through `rateLimit.trustedProxies`. */
  addressOf: AddressResolver;
  /** What each operation costs: the `cost` rule charges it. */
  cost: OperationCost;
  /** `demandControl.maxCost`: costlier operations are refused by demand control and not charged here. */
  maxCost: number;
  /** Where operations wait for their turn under `rateLimit.pace`. */
  turns: TurnWaits;
  logger: Logger;
}

// An unreachable store is logged at most this often, not once per request.
const STORE_WARNING_INTERVAL_MS = 10_000;

/**
 * Rate limits per client, once the operation is known (its name, root fields and estimated
 * cost) and before it is planned. Every operation counts against `default` and `cost` (charged
 * its estimated cost) and every matching rule; the first rule used up refuses it with 429
 * `RATE_LIMITED` and `Retry-After`. With `rateLimit.pace`, an operation before its turn under a
 * rule (see turnDelayOf) waits for the latest of its turns, outside admission, or is refused the
 * same way when that is further off than `pace.maxDelayMs`. Answers carry the IETF
 * `RateLimit-Policy` (every rule the operation counted against, the per-address one included)
 * and `RateLimit` (where the client stands against each per-client rule it was counted
 * against), each item named after its rule.
 */
export function createRateLimits(options: RateLimitsOptions): Feature {
  const { config, logger } = options;
  if (!options.limiters) return { name: 'rateLimits' };
  const limiters = options.limiters.perClient;
  const addressPolicy: QuotaPolicy = options.limiters.address;
  // Who a request counts against (see createClientResolver).
  const clientOf = createClientResolver({
    apiKeyHeader: config.apiKeyHeader,
    apiKeys: createKnownApiKeys({ keys: config.apiKeys, redis: config.store === 'redis' ? options.redis : null, keyPrefix: options.keyPrefix, logger }),
    addressOf: options.addressOf,
  });
  const hasRootFieldRules = limiters.some((limiter) => limiter.rootField !== undefined);
  let lastStoreWarning = 0;
  const { turns } = options;
  const plugin: Feature['plugin'] = {
    async requestDidStart() {
      let counted: QuotaState[] = [];
      let policiesSeen: QuotaPolicy[] = [];
      return {
        async didResolveOperation(request) {
          const cost = options.cost.costOf(request);
          if (cost > options.maxCost) return;
          const client = await clientOf(request);
          const roots = hasRootFieldRules ? rootFieldUsesOf(request) : noUses;
          const applicable = limiters.filter(
            (limiter) =>
              // A free operation (introspection, __typename) spends nothing from the budget.
              (limiter.byCost ? cost > 0 : limiter.operationName === undefined && limiter.rootField === undefined) ||
              (limiter.operationName !== undefined && limiter.operationName === request.operationName) ||
              (limiter.rootField !== undefined && roots.has(limiter.rootField)),
          );
          // What each rule is charged: the cost, each use of its root field (one operation may call it under many aliases), else one.
          const points = applicable.map((limiter) => (limiter.byCost ? cost : limiter.rootField !== undefined ? roots.get(limiter.rootField)! : 1));
          const outcomes = await Promise.allSettled(applicable.map((limiter, index) => limiter.counter.consume(client, points[index])));
          const states = outcomes.flatMap((outcome, index) =>
            outcome.status === 'fulfilled'
              ? [{ policy: applicable[index]!, remaining: outcome.value.remainingPoints, resetSeconds: outcome.value.msBeforeNext / 1000 }]
              : [],
          );
          const policies = [addressPolicy, ...applicable];
          for (const [index, outcome] of outcomes.entries()) {
            const limiter = applicable[index]!;
            if (outcome.status === 'fulfilled') continue;
            if (outcome.reason instanceof RateLimiterRes) {
              throw rateLimited(limiter, outcome.reason, points[index]!, policies, states);
            } else if (config.onStoreError === 'closed') {
              throw new GraphQLError('Rate limiting is unavailable (its store cannot be reached); try again shortly', {
                extensions: { code: ErrorCode.SERVICE_NOT_READY, http: { status: httpStatusOf.SERVICE_NOT_READY } },
              });
            } else if (Date.now() - lastStoreWarning > STORE_WARNING_INTERVAL_MS) {
              lastStoreWarning = Date.now();
              logger.warn(
                { err: String(outcome.reason), rule: limiter.name },
                'rate limit store unreachable; letting requests through (rateLimit.onStoreError: open)',
              );
            }
          }
          counted = states;
          policiesSeen = policies;
          if (config.pace.maxDelayMs > 0) await waitForTurn(request.contextValue, applicable, outcomes, points, policies, states);
        },
        async willSendResponse({ response }) {
          if (counted.length === 0 || !response.http) return;
          for (const [name, value] of Object.entries(rateLimitFields(policiesSeen, counted))) response.http.headers.set(name, value);
        },
      };
    },
  };
  /** Waits for the operation's latest turn under the rules that counted it, or refuses it when that is too far off. */
  async function waitForTurn(
    context: GatewayContext,
    applicable: readonly Limiter[],
    outcomes: readonly PromiseSettledResult<RateLimiterRes>[],
    points: readonly number[],
    policies: readonly QuotaPolicy[],
    states: readonly QuotaState[],
  ): Promise<void> {
    let delayMs = 0;
    let pacing: Limiter | undefined;
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status !== 'fulfilled') continue;
      const limiter = applicable[index]!;
      const delay = turnDelayOf(limiter, outcome.value, points[index]!, burstOf(limiter, config.pace.burstPercent));
      if (delay > delayMs) [delayMs, pacing] = [delay, limiter];
    }
    if (!pacing) return;
    const waitOutside = context.waitOutsideAdmission;
    if (delayMs > config.pace.maxDelayMs || !waitOutside) throw aheadOfPace(pacing, delayMs, config.pace.burstPercent, policies, states);
    try {
      await waitOutside(() => turns.wait(delayMs, context.signal));
    } catch (error) {
      // Admission's refusal (503 OVERLOADED) as a GraphQL error, so that its status and code reach the client.
      if (error instanceof HttpError) throw asGraphQLError(error);
      // Answered to no one (the transport records a client gone): said plainly for the log.
      if (context.signal.aborted) throw new GraphQLError('The client went away while its operation waited for its turn (rateLimit.pace)');
      throw error;
    }
  }

  return { name: 'rateLimits', plugin, drain: () => turns.drain() };
}

// The rules' own refusals, each with when the client may try again (ms since the epoch): what the
// client refusal hold (createClientRefusalHold) recognises, and how long it may hold the answer.
// Not the code: any 429 `RATE_LIMITED` is not these rules' (a subgraph's, passed on, could be one).
const refusals = new WeakMap<GraphQLError, number>();

/**
 * When the client refused with `error` may try again (ms since the epoch: the refusing rule's
 * window resets, or its turn under the rule's pace comes), if `error` is one of the per-client
 * rules' 429s; else undefined.
 */
export function rateLimitRetryAtOf(error: unknown): number | undefined {
  return error instanceof GraphQLError ? refusals.get(error) : undefined;
}

function rateLimited(limiter: Limiter, result: RateLimiterRes, charged: number, policies: readonly QuotaPolicy[], states: readonly QuotaState[]): GraphQLError {
  const retryAfterSeconds = retryAfterOf(result.msBeforeNext);
  const message =
    `Rate limit "${limiter.name}" exceeded: ${unitsOf(limiter, limiter.limit)} per ${limiter.windowSeconds} s for this client` +
    `${limiter.byCost ? ` (this operation costs ${charged})` : ''}; retry in ${retryAfterSeconds} s`;
  const error = refusalOf(limiter, message, retryAfterSeconds, policies, [{ policy: limiter, remaining: 0, resetSeconds: retryAfterSeconds }, ...states]);
  refusals.set(error, Date.now() + result.msBeforeNext);
  return error;
}

/** An operation whose turn under `limiter`'s pace is `delayMs` away, further than it may wait (or in a batch). */
function aheadOfPace(limiter: Limiter, delayMs: number, burstPercent: number, policies: readonly QuotaPolicy[], states: readonly QuotaState[]): GraphQLError {
  const retryAfterSeconds = retryAfterOf(delayMs);
  const message =
    `Rate limit "${limiter.name}": this client is ahead of its pace (${unitsOf(limiter, burstOf(limiter, burstPercent))} at once, ` +
    `then ${limiter.limit} per ${limiter.windowSeconds} s spread evenly); its turn is in ${delayMs} ms, retry in ${retryAfterSeconds} s`;
  const error = refusalOf(limiter, message, retryAfterSeconds, policies, states);
  refusals.set(error, Date.now() + delayMs);
  return error;
}

function retryAfterOf(delayMs: number): number {
  return Math.max(1, Math.ceil(delayMs / 1000));
}

function unitOf(limiter: Limiter): string {
  return limiter.byCost ? 'cost units' : 'operations';
}

/** `count` of the rule's unit, as a phrase: "1 operation", "40 cost units". */
function unitsOf(limiter: Limiter, count: number): string {
  return `${count} ${count === 1 ? unitOf(limiter).slice(0, -1) : unitOf(limiter)}`;
}

function refusalOf(
  limiter: Limiter,
  message: string,
  retryAfterSeconds: number,
  policies: readonly QuotaPolicy[],
  states: readonly QuotaState[],
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      rule: limiter.name,
      limit: limiter.limit,
      windowSeconds: limiter.windowSeconds,
      retryAfterSeconds,
      http: {
        status: httpStatusOf.RATE_LIMITED,
        headers: new Map([['retry-after', String(retryAfterSeconds)], ...Object.entries(rateLimitFields(policies, states))]),
      },
    },
  });
}

function asGraphQLError(error: HttpError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { ...error.extensions, code: error.code, http: { status: error.status, headers: new Map(Object.entries(error.headers)) } },
  });
}

const noUses: ReadonlyMap<string, number> = new Map();

/**
 * How often the operation runs each of its root fields, by `Type.field`, with `@skip`/`@include`
 * applied to the request's coerced variables: each response name is one run (`a: createReview`
 * and `b: createReview` are two; the same field twice under one name is merged, and runs once).
 */
function rootFieldUsesOf({ operation, document, schema, contextValue, request }: ResolvedRequest): ReadonlyMap<string, number> {
  if (!operation) return noUses;
  const type = schema.getRootType(operation.operation)?.name;
  const variables = coercedVariablesOf({ context: contextValue, schema, document, operation, variables: request.variables });
  const names = new Map<string, Set<string>>();
  for (const field of rootFieldsOf(operation, fragmentsOf(document), variables.values ?? new Map())) {
    const coordinate = `${type}.${field.name.value}`;
    let responseNames = names.get(coordinate);
    if (!responseNames) names.set(coordinate, (responseNames = new Set()));
    responseNames.add(field.alias?.value ?? field.name.value);
  }
  return new Map([...names].map(([coordinate, responseNames]) => [coordinate, responseNames.size]));
}
