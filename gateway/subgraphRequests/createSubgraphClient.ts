import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../common/createLogger.js';
import { ErrorCode } from '../../common/errorCodes.js';
import type { SubgraphConfig } from '../config/GatewayConfig.js';
import type { GatewayContext } from '../GatewayContext.js';
import { classifySubgraphFailure } from '../resilience/classifySubgraphFailure.js';
import { createInflightDedup } from '../resilience/createInflightDedup.js';
import { createResilience } from '../resilience/createResilience.js';
import type { BreakerState } from '../resilience/createSubgraphBreaker.js';
import { createCallerHeaders } from './createCallerHeaders.js';
import { createSubgraphSender, type Attempt } from './createSubgraphSender.js';
import { parseSubgraphAnswer } from './parseSubgraphAnswer.js';
import { SharedAnswer } from './SharedAnswer.js';

export interface SubgraphClientOptions {
  /** The subgraph's name in the supergraph; errors carry it as `extensions.serviceName`. */
  name: string;
  /** Where its requests go. */
  url: string;
  /** Its timeout, answer size limit, de-duplication, retry and breaker settings. */
  settings: Omit<SubgraphConfig, 'url' | 'subscriptionTransport'>;
  /** The most keep-alive connections opened to this subgraph. */
  maxConnections: number;
  /** Signs every request so the subgraph can tell it came from this gateway. */
  signingSecret: string;
  /** The client headers the header rules pass to this subgraph. */
  propagateHeaders: (incoming: Iterable<[string, string]>) => Record<string, string>;
  /** Claims sent besides subject and scopes. */
  forwardClaims: readonly string[];
  /** Send the client's raw `Authorization` header too. */
  forwardToken: boolean;
  logger: Logger;
  /** Told of every attempt, retry, shared request and breaker change, for metrics. */
  observer?: SubgraphObserver;
}

export interface SubgraphObserver {
  /** One attempt ended: `success` or the code of its error. */
  attempt(durationMs: number, outcome: string): void;
  retry(): void;
  deduplicated(): void;
  breakerState(state: BreakerState): void;
}

/** One GraphQL request to a subgraph. */
export interface SubgraphRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** Mutations are never retried nor shared. */
  mutation: boolean;
}

/** On whose behalf a request is sent. */
export interface SubgraphCaller {
  context: GatewayContext;
  /** The client request's headers, which header rules and `forwardToken` read. */
  clientHeaders: Iterable<[string, string]> & { get(name: string): string | undefined | null };
}

/** A subgraph's GraphQL answer, parsed; the caller owns it and may change it. */
export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface SubgraphClient {
  readonly name: string;
  /**
   * Sends a request and resolves with the subgraph's GraphQL answer. Rejects with a coded
   * `GraphQLError` (with `serviceName`) when no GraphQL answer could be had.
   */
  send(request: SubgraphRequest, caller: SubgraphCaller): Promise<SubgraphResponse>;
  /**
   * Tells the subgraph's circuit breaker how a subscription's upstream went: opened (true), or
   * failed for the subgraph's own fault (false: unreachable, dropped). A refusal the request
   * caused is never told. Optional for fakes with no breaker.
   */
  recordSubscription?(healthy: boolean): void;
  /** Ends the connection pool. */
  close(): Promise<void>;
}

/**
 * How the gateway talks to one subgraph, in three layers, each its own file: send (one signed
 * attempt over a keep-alive pool, bounded by the subgraph's timeout and the client request's
 * deadline, cancelled when the client goes away) → resilience (circuit breaker; queries retried
 * with backoff within a budget) → de-duplication (identical queries in flight share one answer).
 */
export function createSubgraphClient(options: SubgraphClientOptions): SubgraphClient {
  const { name, settings, observer } = options;
  const logger = options.logger.child({ subgraph: name });
  const sender = createSubgraphSender({
    name,
    url: options.url,
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    maxConnections: options.maxConnections,
    signingSecret: options.signingSecret,
    onAttempt: observer && ((durationMs, outcome) => observer.attempt(durationMs, outcome)),
  });
  const sendResiliently = createResilience(sender.send, {
    name,
    settings,
    logger,
    onRetry: observer && (() => observer.retry()),
    onBreakerState: observer && ((state) => observer.breakerState(state)),
  });
  observer?.breakerState('closed');
  // The gateway merges into the answer it gets: a shared one hands each caller its own.
  const dedup = createInflightDedup<SharedAnswer>((answer, callers) => answer.shareAmong(callers));
  const callerHeaders = createCallerHeaders(options);

  return {
    name,
    async send(request, caller) {
      const { context } = caller;
      const attempt: Attempt = {
        body: JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables }),
        headers: callerHeaders(caller),
        requestId: context.requestId,
        deadlineAt: context.deadlineAt,
        traceparent: context.traceparent,
        signal: context.signal,
      };
      // A shared answer (every caller that got it takes it, once) or this caller's own text.
      let answer: SharedAnswer | string;
      try {
        if (request.mutation || !settings.dedupQueries) {
          answer = await sendResiliently(attempt, !request.mutation);
        } else {
          // Only requests the subgraph cannot tell apart share an answer: same caller headers
          // (identity, passed-on headers), same operation and variables.
          // The body (JSON text) holds no line break, so a key without caller headers (the body
          // alone, not copied into a joined string) is never one with them.
          const key = hasAny(attempt.headers) ? `${JSON.stringify(attempt.headers)}\n${attempt.body}` : attempt.body;
          answer = await dedup.run(
            key,
            attempt.signal,
            async (shared) =>
              new SharedAnswer(
                await sendResiliently(
                  {
                    body: attempt.body,
                    headers: attempt.headers,
                    requestId: attempt.requestId,
                    deadlineAt: attempt.deadlineAt,
                    traceparent: attempt.traceparent,
                    signal: shared,
                  },
                  true,
                ),
                name,
              ),
            () => {
              observer?.deduplicated();
              logger.debug({ requestId: context.requestId }, `shares an identical request to subgraph ${name} already in flight`);
            },
          );
        }
      } catch (error) {
        // A caller that stopped waiting on a shared request gets its abort reason, classified.
        throw error instanceof GraphQLError ? error : classifySubgraphFailure(error, name, settings.timeoutMs).error;
      }
      return typeof answer === 'string' ? parseSubgraphAnswer(answer, name) : answer.take();
    },
    recordSubscription(healthy) {
      sendResiliently.record(
        healthy
          ? { ok: true, raw: '' }
          : {
              ok: false,
              failure: {
                error: new GraphQLError(`The subscription to subgraph "${name}" failed`, {
                  extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: name },
                }),
                retryable: false,
                health: 'unhealthy',
              },
            },
      );
    },
    close: () => sender.close(),
  };
}

function hasAny(headers: Readonly<Record<string, string>>): boolean {
  for (const name in headers) if (Object.hasOwn(headers, name)) return true;
  return false;
}
