import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler, type ExecutionResult } from 'graphql-sse';
import type { RequestScope } from '../requestScope.js';
import type { OpenStreams } from './createOpenStreams.js';
import { type OperationRunner, refusedStatus } from './OperationRunner.js';
import { writeWhenReady } from './writeWhenReady.js';

/** Whether a request asks for GraphQL over SSE (graphql-sse's distinct connections mode). */
export function acceptsEventStream(accept: string | undefined): boolean {
  return accept?.split(',').some((range) => range.split(';')[0]!.trim().toLowerCase() === 'text/event-stream') ?? false;
}

/** What the handler is given per request: the response and the caller's scope. */
interface SseRequest {
  res: ServerResponse;
  scope: RequestScope;
}

/**
 * GraphQL over SSE, distinct connections mode, with graphql-sse's handler: one POST is one
 * operation and its event stream (`next` events, then `complete`), keep-alive comments every
 * 12 s. The body was read and verified by the server before (graphql-sse would read it without a
 * limit), so it is handed over parsed; reservations (single connection mode, PUT) are not served.
 */
export function createSseTransport(deps: { runner: OperationRunner; streams: OpenStreams }) {
  const handle = createHandler<IncomingMessage, SseRequest>({
    // No reservations: every request is a distinct connection.
    authenticate: () => null,
    onSubscribe: async (req, params) => {
      const { scope } = req.context;
      const outcome = await deps.runner.run(params, scope);
      if (outcome.kind === 'refused') {
        return [
          JSON.stringify(deps.runner.format(outcome.result, scope)),
          { status: refusedStatus(outcome.result), statusText: 'Refused', headers: { 'content-type': 'application/json; charset=utf-8' } },
        ];
      }
      // As a one-item stream: graphql-sse takes a result without `data` (a subscription refused
      // by its resolver) for operation arguments, not for a result.
      if (outcome.kind === 'single') return once(outcome.result);
      deps.streams.track(outcome.results);
      return withCleanup(outcome.results, () => deps.streams.forget(outcome.results));
    },
    // Waits while the response cannot take more, so that graphql-sse's own queue stays short
    // and a slow reader's backlog builds in the subscriber's bounded queue instead.
    onNext: async (_context, req, result) => {
      const { res, scope } = req.context;
      if (res.writableNeedDrain) await writeWhenReady(res, '');
      return deps.runner.format(result as ExecutionResult, scope) as ExecutionResult;
    },
  });

  return async function serveSse(req: IncomingMessage, res: ServerResponse, body: unknown, scope: RequestScope): Promise<void> {
    const [stream, init] = await handle({
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      // graphql-sse takes the stream path only for an Accept of exactly text/event-stream; the server
      // routed here any Accept that lists it.
      headers: { get: (name) => (name === 'accept' ? 'text/event-stream' : single(req.headers[name])) },
      body: body as Record<PropertyKey, unknown>,
      raw: req,
      context: { res, scope },
    });
    if (stream === null || typeof stream === 'string') {
      res.writeHead(init.status, init.headers);
      res.end(stream ?? undefined);
      return;
    }
    // A stream's connection closes with it: nothing is lost by not reusing it, and the drain
    // need not wait for it to idle out once the stream has ended.
    res.writeHead(init.status, { ...init.headers, connection: 'close' });
    res.once('close', () => {
      stream.return(undefined).catch(() => {});
    });
    for await (const message of stream) {
      if (!(await writeWhenReady(res, message))) break;
    }
    if (!res.writableEnded) res.end();
  };
}

// graphql-sse asks for the accept header as one value: the first of repeated ones will do.
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function* once<T>(item: T): AsyncGenerator<T, void, void> {
  yield item;
}

// The stream graphql-sse consumes, telling the owner once it is over however it ends.
async function* withCleanup<T>(source: AsyncGenerator<T, void, void>, done: () => void): AsyncGenerator<T, void, void> {
  try {
    yield* source;
  } finally {
    done();
  }
}
