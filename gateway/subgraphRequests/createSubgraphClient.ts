import { EventEmitter } from 'node:events';
import { context as otelContext, trace } from '@opentelemetry/api';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Pool } from 'undici';
import type { Logger } from '../../common/createLogger.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import { signRequest } from '../../common/signing/signRequest.js';
import { formatTraceparent, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import type { SubgraphConfig } from '../config/GatewayConfig.js';
import type { GatewayContext } from '../GatewayContext.js';
import { classifySubgraphFailure, InvalidSubgraphAnswer, SubgraphHttpError } from '../resilience/classifySubgraphFailure.js';
import { createCircuitBreaker, type BreakerState } from '../resilience/createCircuitBreaker.js';
import { createInflightDedup } from '../resilience/createInflightDedup.js';
import { createRetryBudget } from '../resilience/createRetryBudget.js';
import { retryDelay } from '../resilience/retryDelay.js';
import { sleep } from '../resilience/sleep.js';
import { identityHeadersOf } from './identityHeadersOf.js';

export interface SubgraphClientOptions {
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
  /** Ends the connection pool. */
  close(): Promise<void>;
}

/** What one attempt brings back: the body as text, each caller parses its own copy. */
type RawAnswer = string;

/**
 * How the gateway talks to one subgraph: over a keep-alive undici pool; each attempt bounded by
 * the subgraph's timeout and what is left of the client request's deadline (sent on as a
 * header); cancelled when the client goes away; queries retried with backoff within a budget and
 * shared with identical ones in flight; behind a circuit breaker. Every request is signed over
 * the exact bytes and headers that leave.
 */
export function createSubgraphClient(options: SubgraphClientOptions): SubgraphClient {
  const { name, settings, observer } = options;
  const logger = options.logger.child({ subgraph: name });
  const target = new URL(options.url);
  const path = target.pathname + target.search;
  const pool = new Pool(target.origin, { connections: options.maxConnections, pipelining: 1 });
  const breaker = createCircuitBreaker({
    ...settings.breaker,
    onStateChange: (state) => {
      logger.warn({ breaker: state }, `circuit breaker of subgraph ${name} is ${state}`);
      observer?.breakerState(state);
    },
  });
  observer?.breakerState('closed');
  const budget = createRetryBudget(settings.retry);
  // Shared answers are raw text: each caller parses its own, since the gateway merges into it.
  const dedup = createInflightDedup<RawAnswer>((raw) => raw);
  // What the subgraph is told of the caller (identity, passed-on headers), once per client request.
  const callerHeaders = new WeakMap<GatewayContext, Record<string, string>>();

  const headersOf = (caller: SubgraphCaller): Record<string, string> => {
    let headers = callerHeaders.get(caller.context);
    if (headers !== undefined) return headers;
    headers = { ...options.propagateHeaders(caller.clientHeaders) };
    const authorization = caller.clientHeaders.get('authorization');
    if (options.forwardToken && authorization) headers.authorization = authorization;
    // Identity last, so that nothing above can set it.
    Object.assign(headers, identityHeadersOf(caller.context.viewer, options.forwardClaims));
    callerHeaders.set(caller.context, headers);
    return headers;
  };

  const attempt = async (body: string, headers: Record<string, string>, signal: AbortSignal | undefined, timeoutMs: number, caller: SubgraphCaller, traceparent: string | undefined) => {
    const cancel = new AttemptSignal();
    const timer = setTimeout(() => cancel.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const onAbort = () => cancel.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Portico's own headers last, so that no header rule can set them.
      const outgoing: Record<string, string> = { ...headers, 'content-type': 'application/json', accept: 'application/json', [HeaderNames.requestId]: caller.context.requestId };
      if (Number.isFinite(timeoutMs)) outgoing[HeaderNames.deadline] = String(Math.floor(timeoutMs));
      if (traceparent) outgoing[TRACEPARENT] = traceparent;
      Object.assign(outgoing, signRequest(options.signingSecret, { method: 'POST', path, audience: name, body, headers: outgoing }));
      const response = await pool.request({ method: 'POST', path, headers: outgoing, body, signal: cancel });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode > 299) throw new SubgraphHttpError(response.statusCode);
      return text;
    } catch (error) {
      // undici reports an abort as its own error; the reason says why.
      throw cancel.aborted ? (cancel.reason ?? error) : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  /** Attempts until one answers, the failure is final, or retrying is not allowed or affordable. */
  const sendWithRetries = async (body: string, headers: Record<string, string>, signal: AbortSignal | undefined, retryable: boolean, caller: SubgraphCaller) => {
    const { deadlineAt, requestId } = caller.context;
    budget.recordRequest();
    // Apollo-style fetch spans are not made: the request's span is the subgraph's parent.
    const active = trace.getSpanContext(otelContext.active());
    const traceparent = active && trace.isSpanContextValid(active) ? formatTraceparent(active) : caller.context.traceparent;
    for (let retry = 1; ; retry += 1) {
      const timeoutMs = Math.min(settings.timeoutMs, deadlineAt - Date.now());
      if (timeoutMs <= 0) throw coded(ErrorCode.SUBGRAPH_TIMEOUT, `The request's deadline passed before subgraph "${name}" could answer`);
      if (!breaker.tryAcquire()) {
        throw coded(ErrorCode.SUBGRAPH_UNAVAILABLE, `Subgraph "${name}" is unavailable: its circuit breaker is open after repeated failures`);
      }
      const startedAt = performance.now();
      try {
        const raw = await attempt(body, headers, signal, timeoutMs, caller, traceparent);
        breaker.recordSuccess();
        observer?.attempt(performance.now() - startedAt, 'success');
        return raw;
      } catch (error) {
        const failure = classifySubgraphFailure(error, name, timeoutMs, settings.timeoutMs);
        observer?.attempt(performance.now() - startedAt, String(failure.error.extensions.code));
        if (failure.health === 'unhealthy') breaker.recordFailure();
        else if (failure.health === 'healthy') breaker.recordSuccess();
        else breaker.release();
        const delay = retryDelay(retry, settings.retry);
        const timeLeft = deadlineAt - Date.now();
        if (!retryable || !failure.retryable || retry > settings.retry.maxRetries || delay >= timeLeft || !budget.tryWithdraw()) {
          throw failure.error;
        }
        logger.debug({ requestId, retry, delayMs: delay, code: failure.error.extensions.code }, `retrying a query to subgraph ${name}`);
        observer?.retry();
        await sleep(delay, signal).catch((reason: unknown) => {
          throw classifySubgraphFailure(reason, name, timeoutMs).error;
        });
      }
    }
  };

  const coded = (code: ErrorCode, message: string) => new GraphQLError(message, { extensions: { code, serviceName: name } });

  return {
    name,
    async send(request, caller) {
      const body = JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables });
      const headers = headersOf(caller);
      const { signal } = caller.context;
      let raw: RawAnswer;
      try {
        if (request.mutation || !settings.dedupQueries) {
          raw = await sendWithRetries(body, headers, signal, !request.mutation, caller);
        } else {
          // Only requests the subgraph cannot tell apart share an answer: same caller headers
          // (identity, passed-on headers), same operation and variables.
          const key = `${JSON.stringify(headers)}\n${body}`;
          raw = await dedup.run(key, signal, (shared) => sendWithRetries(body, headers, shared, true, caller), () => {
            observer?.deduplicated();
            logger.debug({ requestId: caller.context.requestId }, `shares an identical request to subgraph ${name} already in flight`);
          });
        }
      } catch (error) {
        // A caller that stopped waiting on a shared request gets its abort reason, classified.
        throw error instanceof GraphQLError ? error : classifySubgraphFailure(error, name, settings.timeoutMs).error;
      }
      return parseAnswer(raw, name);
    },
    close: () => pool.close(),
  };
}

/**
 * What aborts one attempt (its timeout, or the caller's signal), as undici accepts it: an
 * EventEmitter costs a fraction of an AbortController, whose signal is an EventTarget.
 */
class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** The subgraph's body as a GraphQL response; anything else is a coded error. */
function parseAnswer(raw: string, name: string): SubgraphResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw classifySubgraphFailure(new InvalidSubgraphAnswer('the body is not JSON', { cause: error }), name, 0).error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw classifySubgraphFailure(new InvalidSubgraphAnswer('the body is not a JSON object'), name, 0).error;
  }
  return parsed as SubgraphResponse;
}
