import { createClient } from 'graphql-ws';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import { ErrorCode } from '../../common/errorCodes.js';
import { signedUpgradeHeaders } from '../subgraphRequests/signedUpgradeHeaders.js';
import type { OpenUpstream } from './OpenUpstream.js';
import { upstreamFailure } from './upstreamFailure.js';

// A subgraph's event is one message: far more than any event needs, far less than memory.
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * An upstream subscription over WebSocket (`graphql-transport-ws`, the graphql-ws client): one
 * connection per upstream, its upgrade signed (see signedUpgradeHeaders) with the caller's
 * identity on it. The client never retries by itself: reconnecting is the hub's, with backoff.
 */
export const openWebSocketUpstream: OpenUpstream = (target, sink) => {
  const url = new URL(target.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let done = false;
  // graphql-ws builds the socket; the class passes the signed headers, fresh on each connect.
  class SignedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, {
        headers: signedUpgradeHeaders({
          url,
          audience: target.subgraph,
          headers: target.headers,
          requestId: target.requestId,
          signingSecret: target.signingSecret,
        }),
        maxPayload: MAX_MESSAGE_BYTES,
      });
    }
  }
  const client = createClient({
    url: url.href,
    webSocketImpl: SignedWebSocket,
    retryAttempts: 0,
    lazy: true,
    lazyCloseTimeout: 0,
    keepAlive: 10_000,
    on: { connected: () => done || sink.connected() },
  });
  const unsubscribe = client.subscribe(
    { query: target.request.query, operationName: target.request.operationName ?? null, variables: target.request.variables },
    {
      next: (value) => {
        if (!done) sink.next({ data: (value.data as Record<string, unknown> | null | undefined) ?? null, ...(value.errors ? { errors: value.errors } : {}) });
      },
      error: (error: unknown) => {
        if (done) return;
        done = true;
        const failure = classify(error, target.subgraph);
        sink.fail(failure.error, failure.subgraphFault);
        disposeQuietly(client);
      },
      complete: () => {
        if (done) return;
        done = true;
        sink.complete();
        disposeQuietly(client);
      },
    },
  );
  return () => {
    if (done) return;
    done = true;
    unsubscribe();
    disposeQuietly(client);
  };
};

/** What graphql-ws reports, as the hub's verdict: GraphQL errors and 44xx closes are the request's refusal. */
function classify(error: unknown, subgraph: string): { error: GraphQLError; subgraphFault: boolean } {
  if (Array.isArray(error)) {
    const first = error[0] as GraphQLFormattedError | undefined;
    const message = first?.message ?? 'The subgraph refused the subscription';
    return {
      error: new GraphQLError(message, {
        extensions: { ...first?.extensions, code: first?.extensions?.code ?? ErrorCode.SUBGRAPH_ERROR, serviceName: subgraph },
      }),
      subgraphFault: false,
    };
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  if (typeof code === 'number' && code >= 4400 && code < 4500) {
    return { error: upstreamFailure(subgraph, `the subgraph closed the subscription (code ${code})`, ErrorCode.SUBGRAPH_ERROR), subgraphFault: false };
  }
  return { error: upstreamFailure(subgraph, 'the subscription connection to the subgraph failed'), subgraphFault: true };
}

/** Closes the client; a connection that failed meanwhile has been reported already, through the sink. */
function disposeQuietly(client: { dispose(): void | Promise<void> }): void {
  try {
    void Promise.resolve(client.dispose()).catch(() => {});
  } catch {
    // Nothing left to close.
  }
}
