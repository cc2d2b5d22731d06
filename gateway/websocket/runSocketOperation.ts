import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { context } from '@opentelemetry/api';
import type { Logger } from '../../common/createLogger.js';
import { startServerSpan, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { resolveRequestId } from '../../common/http/resolveRequestId.js';
import type { ApolloCallOptions } from '../http/callApollo.js';
import { runApollo, type ApolloAnswer } from '../http/runApollo.js';
import { clientGone } from '../pipeline/clientGone.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import type { GraphQLExchange, Outcome } from '../pipeline/Feature.js';
import type { DeferredPart, ResultStream } from '../streaming/ResultStream.js';
import { endStream } from '../streaming/endStream.js';
import type { SubscribePayload } from './parseClientMessage.js';

export interface SocketOperationOptions extends ApolloCallOptions {
  pipeline: Pipeline;
  /** `server.graphqlPath`: the path every operation is run (and logged) as. */
  graphqlPath: string;
  logger: Logger;
}

/** The connection an operation runs on: who opened it, and the headers each of its operations is run with. */
export interface SocketOperationSource {
  /** The upgrade's TCP peer address (the upgrade request itself is not kept: a connection holds only what its operations read). */
  peerAddress: string | undefined;
  /** The upgrade's headers, with the connection's token as `authorization` (see serveConnection). */
  headers: IncomingHttpHeaders;
  /** The client's address, through `rateLimit.trustedProxies`. */
  clientAddress: string;
}

/** How one operation went, as the connection sends it. */
export type SocketAnswer =
  /** Refused or failed before any result: one `error` message. */
  | { kind: 'error'; errors: readonly GraphQLFormattedError[] }
  /** `first` (null: nothing to send, as for a subscription set up), then the stream's items, then `complete`. */
  | { kind: 'result'; first: FormattedExecutionResult | null; stream: ResultStream | undefined }
  /** The client completed it (or went away) before it answered: nothing to send. */
  | { kind: 'gone' };

// How a WebSocket operation appears to the `finish` hooks (the failed-request log, refusal metrics).
const METHOD = 'WEBSOCKET';

/**
 * Runs one `subscribe` message as the HTTP transport runs a GraphQL POST: every feature's
 * `arrive` hook and `handle` step (the per-address limit, authentication with the connection's
 * token, the body's JSON limits and byte budget, document limits, admission), then Apollo Server
 * with its plugins and `execute` hooks (persisted documents, rate limits, demand control,
 * authorization), with `acceptsStream` and `acceptsEvents` set, and the `finish` hooks once it has answered. The
 * payload becomes the body of a POST made for it, so that no step can tell it from one, and no
 * transport has its own copy of the request path.
 */
export async function runSocketOperation(
  source: SocketOperationSource,
  payload: SubscribePayload,
  signal: AbortSignal,
  options: SocketOperationOptions,
): Promise<SocketAnswer> {
  // One span per operation, as for an HTTP request (the upgrade's traceparent continues the
  // caller's trace): Apollo Gateway's plan and fetch spans are its children.
  const hop = startServerSpan({
    tracer: 'portico-gateway',
    name: `${METHOD} ${options.graphqlPath}`,
    traceparent: source.headers[TRACEPARENT],
    attributes: { 'url.path': options.graphqlPath, 'network.protocol.name': 'websocket' },
  });
  try {
    return await context.with(hop.context, () => runTraced(source, payload, signal, options, hop.traceparent));
  } finally {
    hop.span.end();
  }
}

/**
 * Runs the operation through the steps. A `@defer` answer is handed to the connection as soon as
 * Apollo Server has made its first payload, while the steps, its admission slot among them, stay
 * held until its last part has been taken (or the stream is ended): the parts are the operation's
 * own work, as over HTTP. Every other answer is returned once the steps are done.
 */
async function runTraced(
  source: SocketOperationSource,
  payload: SubscribePayload,
  signal: AbortSignal,
  options: SocketOperationOptions,
  traceparent: string,
): Promise<SocketAnswer> {
  const requestId = resolveRequestId(undefined);
  let handOver!: (answer: ApolloAnswer) => void;
  const handedOver = new Promise<ApolloAnswer>((resolve) => {
    handOver = resolve;
  });
  const running = runSteps(source, payload, signal, options, traceparent, requestId, handOver);
  const first = await Promise.race([running.then((answer) => ({ answer })), handedOver.then((apollo) => ({ apollo }))]);
  if ('answer' in first) return first.answer;
  // The steps end (and the `finish` hooks run) once the parts are over; runSteps never rejects.
  try {
    return await toSocketAnswer(first.apollo, options.logger, requestId);
  } catch (error) {
    // Not the connection's after all: its parts are ended here, and the steps with them.
    await endStream(first.apollo.stream);
    throw error;
  }
}

async function runSteps(
  source: SocketOperationSource,
  payload: SubscribePayload,
  signal: AbortSignal,
  options: SocketOperationOptions,
  traceparent: string,
  requestId: string,
  handOver: (answer: ApolloAnswer) => void,
): Promise<SocketAnswer> {
  const startedAt = performance.now();
  let answer: ApolloAnswer | undefined;
  let handedOver = false;
  let outcome: Outcome;
  try {
    const req = operationRequest(source, Buffer.from(JSON.stringify(payload)), options.graphqlPath);
    // Nothing is written to it: the features' HTTP-layer hooks only set headers on it.
    const res = new ServerResponse(req);
    const exchange: GraphQLExchange = {
      req,
      res,
      url: new URL(options.graphqlPath, 'http://server.invalid'),
      method: 'POST',
      requestId,
      traceparent,
      clientAddress: source.clientAddress,
      signal,
      viewer: null,
      body: undefined,
    };
    await options.pipeline.arrive(req, res);
    outcome = await options.pipeline.handle(exchange, async () => {
      try {
        answer = await runApollo(exchange, options, { acceptsStream: true, acceptsEvents: true });
      } catch (error) {
        return clientGone(signal, error);
      }
      if (answer.stream?.kind === 'deferred' && !signal.aborted) {
        const held = heldUntilEnded(answer.stream.parts);
        answer = { ...answer, stream: { kind: 'deferred', parts: held.parts } };
        // Whatever becomes of the answer, the operation's end (its client's `complete`, the
        // connection closing) ends its parts, and so the steps' holds.
        signal.addEventListener('abort', () => void held.parts.return?.(), { once: true });
        handedOver = true;
        handOver(answer);
        await held.ended;
      }
      return { status: answer.response.status ?? 200, errors: answer.errors };
    });
  } catch (error) {
    // A stream set up before a later step failed is freed.
    await endStream(answer?.stream);
    const refusal = error instanceof HttpError ? error : new HttpError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    if (!(error instanceof HttpError)) options.logger.error({ err: error, requestId }, 'unexpected error running a WebSocket operation');
    finish(options, { status: refusal.status, errors: [refusal] }, requestId, startedAt);
    return { kind: 'error', errors: refusal.toBody().errors };
  }
  finish(options, outcome, requestId, startedAt);
  // Already the connection's (runTraced returned it): nothing more to answer here.
  if (handedOver) return { kind: 'gone' };
  if (!answer || signal.aborted) {
    await endStream(answer?.stream);
    return { kind: 'gone' };
  }
  return toSocketAnswer(answer, options.logger, requestId);
}

/** Apollo Server's answer as the messages of the protocol. */
async function toSocketAnswer({ response, stream }: ApolloAnswer, logger: Logger, requestId: string): Promise<SocketAnswer> {
  let first: FormattedExecutionResult;
  try {
    if (response.body.kind !== 'complete') throw new Error('Apollo Server answered in chunks');
    first = JSON.parse(response.body.string) as FormattedExecutionResult;
  } catch (error) {
    logger.error({ err: error, requestId }, 'unreadable answer from Apollo Server to a WebSocket operation');
    await endStream(stream);
    return { kind: 'error', errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] };
  }
  // A subscription set up answers nothing first (Apollo Server's result has no data): its events follow.
  if (stream?.kind === 'subscription' && (first.errors?.length ?? 0) === 0) return { kind: 'result', first: null, stream };
  if (!('data' in first) || stream?.kind === 'subscription') {
    await endStream(stream);
    // The protocol's `error` message needs at least one error.
    return {
      kind: 'error',
      errors: first.errors?.length ? first.errors : [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
    };
  }
  return { kind: 'result', first: stream?.kind === 'deferred' ? ({ ...first, hasNext: true } as FormattedExecutionResult) : first, stream };
}

/**
 * A GraphQL POST made from a `subscribe` message: the connection's headers, a JSON body, and a
 * socket of its own that only knows the client's address (so that nothing done to this request
 * can touch the WebSocket's own socket).
 */
function operationRequest(source: SocketOperationSource, body: Buffer, path: string): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: source.peerAddress });
  const req = new IncomingMessage(socket);
  req.method = 'POST';
  req.url = path;
  req.headers = {
    ...source.headers,
    'content-type': 'application/json',
    'content-length': String(body.length),
    accept: 'application/graphql-response+json, application/json',
  };
  req.push(body);
  req.push(null);
  return req;
}

function finish(options: SocketOperationOptions, outcome: Outcome, requestId: string, startedAt: number): void {
  try {
    options.pipeline.finish({ ...outcome, requestId, method: METHOD, path: options.graphqlPath, durationMs: Math.round(performance.now() - startedAt) });
  } catch (error) {
    try {
      options.logger.error({ err: error, requestId }, 'unexpected error finishing a WebSocket operation');
    } catch {
      // The logger itself failed: nobody is left to tell.
    }
  }
}

/** `parts`, and a promise that resolves once they are over: run to their end, failed, or ended early by their consumer. */
function heldUntilEnded(parts: AsyncIterableIterator<DeferredPart>): { parts: AsyncIterableIterator<DeferredPart>; ended: Promise<void> } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const held: AsyncIterableIterator<DeferredPart> = {
    async next() {
      try {
        const result = await parts.next();
        if (result.done) end();
        return result;
      } catch (error) {
        end();
        throw error;
      }
    },
    async return(value?: unknown) {
      try {
        return (await parts.return?.(value)) ?? { done: true, value: undefined };
      } finally {
        end();
      }
    },
    [Symbol.asyncIterator]() {
      return held;
    },
  };
  return { parts: held, ended };
}
