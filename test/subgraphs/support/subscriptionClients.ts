import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Headers as HeaderNames } from '../../../common/headers.js';
import { encodeIdentity } from '../../../common/identityHeader.js';
import { signRequest } from '../../../common/signing/signRequest.js';
import { type SignedAs, signedHeaders } from '../../support/startStack.js';
import { testSigningSecret } from '../../support/startSubgraphs.js';

/** One result of a subscription, as every transport delivers it. */
export interface StreamResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** Results in arrival order; `next()` waits for the next one, `done` settles when the stream ends. */
export interface ResultStream {
  next(): Promise<StreamResult>;
  /** Settles once the stream has ended, with how it ended. */
  done: Promise<{ error?: unknown }>;
  close(): void;
}

/** A queue the transports push results into and a test reads from. */
function resultQueue(close: () => void) {
  const results: StreamResult[] = [];
  const waiting: Array<(result: StreamResult) => void> = [];
  let finish!: (how: { error?: unknown }) => void;
  const done = new Promise<{ error?: unknown }>((resolve) => (finish = resolve));
  return {
    push(result: StreamResult) {
      const waiter = waiting.shift();
      if (waiter) waiter(result);
      else results.push(result);
    },
    finish,
    stream: {
      next: () => {
        const first = results.shift();
        return first ? Promise.resolve(first) : new Promise<StreamResult>((resolve) => waiting.push(resolve));
      },
      done,
      close,
    } satisfies ResultStream,
  };
}

/**
 * The headers of a WebSocket upgrade signed as the gateway signs it: a GET of the GraphQL path
 * with an empty body (its digest is that of zero bytes), the identity and request id signed too.
 */
export function signedUpgradeHeaders(url: string, as: SignedAs, secret = testSigningSecret): Record<string, string> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...as.headers };
  if (as.identity) headers[HeaderNames.identity] = encodeIdentity({ sub: as.identity.sub, scopes: as.identity.scopes ?? [], claims: as.identity.claims ?? {} });
  return { ...headers, ...signRequest(secret, { method: 'GET', path: target.pathname + target.search, audience: as.audience, body: '', headers }) };
}

/** A graphql-ws client whose every connection is signed (unless `as` is undefined). */
export function wsClient(url: string, as: SignedAs | undefined, options: { retryAttempts?: number } = {}): Client {
  const wsUrl = url.replace(/^http/, 'ws');
  class SignedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: as ? signedUpgradeHeaders(url, as) : {} });
    }
  }
  return createClient({ url: wsUrl, webSocketImpl: SignedWebSocket, retryAttempts: options.retryAttempts ?? 0, lazy: true });
}

/** Subscribes through a graphql-ws client. */
export function subscribeWs(client: Client, query: string, variables?: Record<string, unknown>): ResultStream {
  let unsubscribe = () => {};
  const queue = resultQueue(() => unsubscribe());
  unsubscribe = client.subscribe(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (result) => queue.push(result as StreamResult),
      error: (error) => queue.finish({ error }),
      complete: () => queue.finish({}),
    },
  );
  return queue.stream;
}

/** POSTs a signed operation asking for a stream, and hands its body to `parse`. */
async function openSigned(url: string, accept: string, query: string, variables: Record<string, unknown> | undefined, as: SignedAs) {
  const body = JSON.stringify({ query, variables });
  const controller = new AbortController();
  const response = await fetch(url, { method: 'POST', headers: { ...signedHeaders(url, body, as), accept }, body, signal: controller.signal });
  return { response, controller };
}

/** GraphQL over SSE (distinct connections), read event by event. */
export async function subscribeSse(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  as: SignedAs,
): Promise<ResultStream & { status: number }> {
  const { response, controller } = await openSigned(url, 'text/event-stream', query, variables, as);
  const queue = resultQueue(() => controller.abort());
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (event === 'next' && data) queue.push(JSON.parse(data) as StreamResult);
          if (event === 'complete') return queue.finish({});
        }
      }
      queue.finish({});
    } catch (error) {
      queue.finish({ error });
    }
  })();
  return { ...queue.stream, status: response.status };
}

/** Apollo's multipart subscription protocol, part by part; heartbeats (`{}`) are counted, not queued. */
export async function subscribeMultipart(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  as: SignedAs,
): Promise<ResultStream & { status: number; contentType: string | null; heartbeats: () => number }> {
  const { response, controller } = await openSigned(url, 'multipart/mixed;subscriptionSpec="1.0", application/json', query, variables, as);
  const queue = resultQueue(() => controller.abort());
  let heartbeats = 0;
  void (async () => {
    let buffer = '';
    const boundary = '\r\n--graphql';
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let at = buffer.indexOf(boundary);
        while (at !== -1) {
          const part = buffer.slice(0, at);
          buffer = buffer.slice(at + boundary.length);
          at = buffer.indexOf(boundary);
          const bodyAt = part.indexOf('\r\n\r\n');
          if (bodyAt === -1) continue;
          const json = JSON.parse(part.slice(bodyAt + 4)) as { payload?: StreamResult | null; errors?: StreamResult['errors'] };
          if (json.payload === undefined && json.errors === undefined) heartbeats += 1;
          else queue.push(json.payload ?? { errors: json.errors });
        }
        if (buffer.startsWith('--')) return queue.finish({});
      }
      queue.finish({});
    } catch (error) {
      queue.finish({ error });
    }
  })();
  return { ...queue.stream, status: response.status, contentType: response.headers.get('content-type'), heartbeats: () => heartbeats };
}
