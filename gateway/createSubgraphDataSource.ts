import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { context, trace } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { Agent, fetch } from 'undici';
import type { Logger } from '../common/createLogger.js';
import { ErrorCode } from '../common/errorCodes.js';
import { Headers as HeaderNames } from '../common/headers.js';
import { signRequest } from '../common/signing/signRequest.js';
import { formatTraceparent, TRACEPARENT } from '../common/tracing/startServerSpan.js';
import type { GatewayContext } from './GatewayContext.js';
import { identityHeadersOf } from './subgraphRequests/identityHeadersOf.js';
import type { SubgraphConfig } from './config/GatewayConfig.js';
import { classifySubgraphFailure } from './resilience/classifySubgraphFailure.js';
import { createCircuitBreaker, type BreakerState } from './resilience/createCircuitBreaker.js';
import { createInflightDedup } from './resilience/createInflightDedup.js';
import { createRetryBudget } from './resilience/createRetryBudget.js';
import { pathOfFetch } from './resilience/pathOfFetch.js';
import { retryDelay } from './resilience/retryDelay.js';
import { sleep } from './resilience/sleep.js';

export interface SubgraphDataSourceOptions {
  /** The subgraph's name in the supergraph; errors carry it as `extensions.serviceName`. */
  name: string;
  /** Where its requests go. */
  url: string;
  /** Its timeout, de-duplication, retry and breaker settings. */
  settings: Omit<SubgraphConfig, 'url'>;
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

/** A data source that owns a connection pool, which `close` ends. */
export interface SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  close(): Promise<void>;
}

// Named through @apollo/gateway's own types rather than the packages it depends on.
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;

/** What one attempt runs with. RemoteGraphQLDataSource calls the fetcher and `willSendRequest`
 * with fixed arguments, so these travel alongside the call instead. */
interface Attempt {
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

/**
 * How the gateway talks to one subgraph: over a keep-alive undici pool; each attempt bounded by
 * the subgraph's timeout and what is left of the client request's deadline (sent on as a
 * header); cancelled when the client goes away; queries retried with backoff within a budget and
 * shared with identical ones in flight; behind a circuit breaker. Failures to get a GraphQL
 * answer become coded errors that name the subgraph; GraphQL errors the subgraph returns are
 * tagged with `serviceName` by @apollo/gateway itself.
 */
export function createSubgraphDataSource(options: SubgraphDataSourceOptions): SubgraphDataSource {
  const { name, url, settings, observer } = options;
  const logger = options.logger.child({ subgraph: name });
  const agent = new Agent({ connections: options.maxConnections });
  const attempts = new AsyncLocalStorage<Attempt>();
  const breaker = createCircuitBreaker({
    ...settings.breaker,
    onStateChange: (state) => {
      logger.warn({ breaker: state }, `circuit breaker of subgraph ${name} is ${state}`);
      observer?.breakerState(state);
    },
  });
  observer?.breakerState('closed');
  const budget = createRetryBudget(settings.retry);
  const dedup = createInflightDedup<GatewayGraphQLResponse>(copyResponse);

  const fetcher: Fetcher = async (target, init) => {
    const attempt = attempts.getStore();
    const deadline = AbortSignal.timeout(attempt?.timeoutMs ?? settings.timeoutMs);
    // Signed here, over the exact bytes and headers that leave: nothing is added after this.
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const method = init?.method ?? 'POST';
    const body = typeof init?.body === 'string' ? init.body : '';
    const url = new URL(target);
    Object.assign(headers, signRequest(options.signingSecret, { method, path: url.pathname + url.search, body, headers }));
    const response = await fetch(target, {
      method,
      headers,
      body: init?.body,
      signal: attempt?.signal ? AbortSignal.any([deadline, attempt.signal]) : deadline,
      dispatcher: agent,
    });
    return response satisfies FetcherResponse;
  };

  class Subgraph extends RemoteGraphQLDataSource<GatewayContext> implements SubgraphDataSource {
    override async process(processOptions: ProcessOptions): Promise<GatewayGraphQLResponse> {
      // Only operations made for a client have the client's context (not health checks).
      const incoming = 'incomingRequestContext' in processOptions ? processOptions.context : undefined;
      const mutation = /^\s*mutation\b/.test(processOptions.request.query ?? '');
      const send = (signal: AbortSignal | undefined) => this.sendWithRetries(processOptions, signal, !mutation, incoming);
      try {
        if (mutation || !settings.dedupQueries || !incoming) return await send(incoming?.signal);
        const { query, variables } = processOptions.request;
        // Only requests the subgraph cannot tell apart share an answer: same identity, same
        // passed-on headers, same operation.
        const clientHeaders = 'incomingRequestContext' in processOptions ? processOptions.incomingRequestContext.request.http?.headers : undefined;
        const key = JSON.stringify([
          identityHeadersOf(incoming.viewer ?? null, options.forwardClaims),
          options.propagateHeaders(clientHeaders ?? []),
          options.forwardToken ? (clientHeaders?.get('authorization') ?? null) : null,
          query,
          variables ?? null,
        ]);
        return await dedup.run(key, incoming.signal, send, () => {
          observer?.deduplicated();
          logger.debug({ requestId: incoming.requestId }, `shares an identical request to subgraph ${name} already in flight`);
        });
      } catch (error) {
        // A caller that stopped waiting on a shared request gets its abort reason, uncoded.
        const coded = error instanceof GraphQLError ? error : classifySubgraphFailure(error, name, settings.timeoutMs).error;
        throw withPath(coded, processOptions);
      }
    }

    /** Attempts until one answers, the failure is final, or retrying is not allowed or affordable. */
    async sendWithRetries(processOptions: ProcessOptions, signal: AbortSignal | undefined, retryable: boolean, incoming: GatewayContext | undefined) {
      const deadlineAt = incoming?.deadlineAt;
      budget.recordRequest();
      for (let retry = 1; ; retry += 1) {
        const timeoutMs = Math.min(settings.timeoutMs, deadlineAt === undefined ? Infinity : deadlineAt - Date.now());
        if (timeoutMs <= 0) throw coded(ErrorCode.SUBGRAPH_TIMEOUT, `The request's deadline passed before subgraph "${name}" could answer`);
        if (!breaker.tryAcquire()) {
          throw coded(ErrorCode.SUBGRAPH_UNAVAILABLE, `Subgraph "${name}" is unavailable: its circuit breaker is open after repeated failures`);
        }
        const startedAt = performance.now();
        try {
          const response = await attempts.run({ signal, timeoutMs }, () => super.process(processOptions));
          breaker.recordSuccess();
          observer?.attempt(performance.now() - startedAt, 'success');
          return response;
        } catch (error) {
          const failure = classifySubgraphFailure(error, name, timeoutMs);
          observer?.attempt(performance.now() - startedAt, String(failure.error.extensions.code));
          if (failure.health === 'unhealthy') breaker.recordFailure();
          else if (failure.health === 'healthy') breaker.recordSuccess();
          else breaker.release();
          const delay = retryDelay(retry, settings.retry);
          const timeLeft = deadlineAt === undefined ? Infinity : deadlineAt - Date.now();
          if (!retryable || !failure.retryable || retry > settings.retry.maxRetries || delay >= timeLeft || !budget.tryWithdraw()) {
            throw failure.error;
          }
          const requestId = incoming?.requestId;
          logger.debug({ requestId, retry, delayMs: delay, code: failure.error.extensions.code }, `retrying a query to subgraph ${name}`);
          observer?.retry();
          await sleep(delay, signal).catch((reason: unknown) => {
            throw classifySubgraphFailure(reason, name, timeoutMs).error;
          });
        }
      }
    }

    override willSendRequest(processOptions: ProcessOptions): void {
      const headers = processOptions.request.http?.headers;
      if (!headers) return;
      const incoming = 'incomingRequestContext' in processOptions ? processOptions.incomingRequestContext.request.http?.headers : undefined;
      for (const [name, value] of Object.entries(options.propagateHeaders(incoming ?? []))) headers.set(name, value);
      const authorization = incoming?.get('authorization');
      if (options.forwardToken && authorization) headers.set('authorization', authorization);
      // Identity and Portico's own headers last, so that nothing above can set them.
      const { requestId, viewer } = processOptions.context;
      if (typeof requestId === 'string') headers.set(HeaderNames.requestId, requestId);
      for (const [name, value] of Object.entries(identityHeadersOf(viewer ?? null, options.forwardClaims))) headers.set(name, value);
      const attempt = attempts.getStore();
      if (attempt && Number.isFinite(attempt.timeoutMs)) headers.set(HeaderNames.deadline, String(Math.floor(attempt.timeoutMs)));
      // Apollo Gateway's fetch span is active when tracing is on; the request's span otherwise.
      const active = trace.getSpanContext(context.active());
      const traceparent = active && trace.isSpanContextValid(active) ? formatTraceparent(active) : processOptions.context.traceparent;
      if (traceparent) headers.set(TRACEPARENT, traceparent);
    }

    close(): Promise<void> {
      return agent.close();
    }
  }

  const coded = (code: ErrorCode, message: string) => new GraphQLError(message, { extensions: { code, serviceName: name } });
  return new Subgraph({ url, fetcher });
}

/** The error with the path of the fetch it failed, for the client to see which fields it cost. */
function withPath(error: GraphQLError, processOptions: ProcessOptions): GraphQLError {
  if (error.path !== undefined) return error;
  const path = pathOfFetch(processOptions.request.query, 'pathInIncomingRequest' in processOptions ? processOptions.pathInIncomingRequest : undefined);
  if (path === undefined) return error;
  return new GraphQLError(error.message, { path, originalError: error.originalError ?? undefined, extensions: error.extensions });
}

/** What a caller that joined an in-flight request gets: its own copy, since the gateway merges
 * later fetches into the objects it received. */
function copyResponse(response: GatewayGraphQLResponse): GatewayGraphQLResponse {
  const { data, errors, extensions } = response;
  return { ...response, ...structuredClone({ data, errors, extensions }) };
}
