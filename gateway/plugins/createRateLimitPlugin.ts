import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, httpStatusOf } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import type { RateLimitConfig } from '../config/TrafficConfig.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { Limiter } from '../traffic/createLimiters.js';
import type { DemandControl, ResolvedRequest } from './createDemandControl.js';

export interface RateLimitPluginOptions {
  config: RateLimitConfig;
  limiters: readonly Limiter[];
  /** Who a request counts against (see createClientResolver). */
  clientOf: (request: ResolvedRequest) => string;
  demandControl: DemandControl;
  /** `demandControl.maxCost`: costlier operations are refused there and not charged here. */
  maxCost: number;
  logger: Logger;
}

// An unreachable store is logged at most this often, not once per request.
const STORE_WARNING_INTERVAL_MS = 10_000;

/**
 * Rate limits per client, once the operation is known (its name, root fields and estimated
 * cost) and before it is planned. Every operation counts against `default` and `cost` (charged
 * its estimated cost) and every matching rule; the first rule used up refuses it with 429
 * `RATE_LIMITED`, `Retry-After` and `RateLimit-*`. Answers carry the `RateLimit-*` of the rule
 * closest to its limit.
 */
export function createRateLimitPlugin(options: RateLimitPluginOptions): ApolloServerPlugin<GatewayContext> {
  const { config, limiters, logger } = options;
  let lastStoreWarning = 0;
  return {
    async requestDidStart() {
      let tightest: { limiter: Limiter; result: RateLimiterRes } | undefined;
      return {
        async didResolveOperation(request) {
          const cost = options.demandControl.costOf(request);
          if (cost > options.maxCost) return;
          const client = options.clientOf(request);
          const roots = rootFieldsOf(request);
          const applicable = limiters.filter(
            (limiter) =>
              // A free operation (introspection, __typename) spends nothing from the budget.
              (limiter.byCost ? cost > 0 : limiter.operationName === undefined && limiter.rootField === undefined) ||
              (limiter.operationName !== undefined && limiter.operationName === request.operationName) ||
              (limiter.rootField !== undefined && roots.has(limiter.rootField)),
          );
          const outcomes = await Promise.allSettled(
            applicable.map((limiter) => limiter.counter.consume(client, limiter.byCost ? cost : 1)),
          );
          for (const [index, outcome] of outcomes.entries()) {
            const limiter = applicable[index]!;
            if (outcome.status === 'fulfilled') {
              if (!tightest || outcome.value.remainingPoints / limiter.limit < tightest.result.remainingPoints / tightest.limiter.limit) {
                tightest = { limiter, result: outcome.value };
              }
            } else if (outcome.reason instanceof RateLimiterRes) {
              throw rateLimited(limiter, outcome.reason, limiter.byCost ? cost : 1);
            } else if (config.onStoreError === 'closed') {
              throw new GraphQLError('Rate limiting is unavailable (its store cannot be reached); try again shortly', {
                extensions: { code: ErrorCode.SERVICE_NOT_READY, http: { status: httpStatusOf.SERVICE_NOT_READY } },
              });
            } else if (Date.now() - lastStoreWarning > STORE_WARNING_INTERVAL_MS) {
              lastStoreWarning = Date.now();
              logger.warn({ err: String(outcome.reason), rule: limiter.name }, 'rate limit store unreachable; letting requests through (rateLimit.onStoreError: open)');
            }
          }
        },
        async willSendResponse({ response }) {
          if (!tightest || !response.http) return;
          for (const [name, value] of Object.entries(headersOf(tightest.limiter, tightest.result))) response.http.headers.set(name, value);
        },
      };
    },
  };
}

function headersOf(limiter: Limiter, result: RateLimiterRes): Record<string, string> {
  return {
    'ratelimit-limit': String(limiter.limit),
    'ratelimit-remaining': String(Math.max(0, result.remainingPoints)),
    'ratelimit-reset': String(Math.ceil(result.msBeforeNext / 1000)),
  };
}

function rateLimited(limiter: Limiter, result: RateLimiterRes, charged: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  const unit = limiter.byCost ? 'cost units' : 'operations';
  return new GraphQLError(
    `Rate limit "${limiter.name}" exceeded: ${limiter.limit} ${unit} per ${limiter.windowSeconds} s for this client` +
      `${limiter.byCost ? ` (this operation costs ${charged})` : ''}; retry in ${retryAfterSeconds} s`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        rule: limiter.name,
        limit: limiter.limit,
        windowSeconds: limiter.windowSeconds,
        retryAfterSeconds,
        http: {
          status: httpStatusOf.RATE_LIMITED,
          headers: new Map([['retry-after', String(retryAfterSeconds)], ...Object.entries(headersOf(limiter, result))]),
        },
      },
    },
  );
}

/** The operation's root fields as `Type.field`, through inline fragments and fragment spreads. */
function rootFieldsOf({ operation, document, schema }: ResolvedRequest): Set<string> {
  const roots = new Set<string>();
  const type = operation && schema.getRootType(operation.operation)?.name;
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) roots.add(`${type}.${selection.name.value}`);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) walk(fragment.selectionSet);
      }
    }
  };
  if (operation) walk(operation.selectionSet);
  return roots;
}
