// The offline explorer's page script, bundled by `portico codegen` into ../generated/: GraphiQL
// with its docs explorer, history and headers editor, talking to this gateway only.
import { GraphiQL } from 'graphiql';
import { BREAK, getOperationAST, parse, visit, type DocumentNode, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws/client';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import { queryPlanPlugin } from './queryPlanPlugin.js';
import { boundaryOf, readMultipartParts } from './readMultipartParts.js';

type FetcherParams = { query: string; operationName?: string | null; variables?: Record<string, unknown> | null };
type FetcherOptions = { headers?: Record<string, unknown> };

const root = document.getElementById('graphiql');
if (!root) throw new Error('the explorer page has no #graphiql element');
// The gateway writes its GraphQL path into the page, so a custom server.graphqlPath works too.
const endpoint = new URL(root.dataset.endpoint ?? '/graphql', window.location.href).href;
const socketEndpoint = endpoint.replace(/^http/, 'ws');

// GraphiQL's toolkit fetcher would add a dependency for what is one POST.
async function post(params: FetcherParams, options?: FetcherOptions): Promise<ExecutionResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
  return (await response.json()) as ExecutionResult;
}

// Apollo Client's Accept for @defer: the parts as multipart/mixed, or (a gateway that does not stream) one JSON answer.
const DEFER_ACCEPT = 'multipart/mixed;deferSpec=20220824,application/json';

/**
 * An operation with `@defer`, its answer shown part by part: asked for as multipart incremental
 * delivery, each part yielded as it arrives (GraphiQL merges them into what it shows, so the
 * first payload appears at once and each deferred fragment fills in when its part comes).
 * Stopping it (GraphiQL's stop button) cancels the request at once, even while a part is awaited
 * (a generator's own `return()` would wait for the next part).
 */
function deferred(params: FetcherParams, options?: FetcherOptions): AsyncIterableIterator<ExecutionResult> {
  const abort = new AbortController();
  const parts = readDeferred(params, options, abort.signal);
  return {
    next: () => parts.next(),
    return: () => {
      abort.abort();
      return parts.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* readDeferred(params: FetcherParams, options: FetcherOptions | undefined, signal: AbortSignal): AsyncGenerator<ExecutionResult, undefined> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: DEFER_ACCEPT };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
  try {
    const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params), signal });
    const boundary = boundaryOf(response.headers.get('content-type'));
    // A refusal (or a gateway that answers at once) is one JSON answer.
    if (!boundary || !response.body) {
      yield (await response.json()) as ExecutionResult;
      return undefined;
    }
    for await (const part of readMultipartParts(response.body, boundary)) yield part as ExecutionResult;
  } catch (error) {
    // Stopped: what was shown stays, with no error for it.
    if (signal.aborted) return undefined;
    throw error;
  }
  return undefined;
}

// The gateway names its plan endpoint in development only.
const plan = root.dataset.plan ? new URL(root.dataset.plan, window.location.href).href : null;

// One WebSocket for the page's subscriptions, opened when the first one runs. A browser cannot
// set headers on a WebSocket: the headers editor's Authorization goes in connection_init, and
// a new one (another token) opens a new connection.
let socket: { authorization: string; client: Client } | undefined;
function socketClient(options?: FetcherOptions): Client {
  const headers = options?.headers ?? {};
  const authorization = String(headers.Authorization ?? headers.authorization ?? '');
  if (socket?.authorization !== authorization) {
    void socket?.client.dispose();
    socket = {
      authorization,
      client: createClient({ url: socketEndpoint, lazy: true, retryAttempts: 0, connectionParams: authorization ? { Authorization: authorization } : {} }),
    };
  }
  return socket.client;
}

/** How an operation is answered: a subscription's events, `@defer`'s parts, or one result. */
function deliveryOf(params: FetcherParams): 'subscription' | 'deferred' | 'once' {
  let document: DocumentNode;
  try {
    document = parse(params.query);
  } catch {
    // The gateway says what is wrong with it.
    return 'once';
  }
  if (getOperationAST(document, params.operationName ?? undefined)?.operation === 'subscription') return 'subscription';
  // Anywhere in the document (a fragment the operation spreads included): the gateway decides what is deferred.
  let defers = false;
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'defer') return undefined;
      defers = true;
      return BREAK;
    },
  });
  return defers ? 'deferred' : 'once';
}

/** Subscription events as GraphiQL shows them; a closed connection as an error that says why. */
async function* subscribe(params: FetcherParams, options?: FetcherOptions): AsyncGenerator<ExecutionResult> {
  try {
    const events = socketClient(options).iterate({
      query: params.query,
      ...(params.operationName ? { operationName: params.operationName } : {}),
      ...(params.variables ? { variables: params.variables } : {}),
    });
    // JSON from the gateway, as post's answers are: GraphiQL shows errors as they came.
    for await (const event of events) yield event as unknown as ExecutionResult;
  } catch (error) {
    if (error instanceof CloseEvent) throw new Error(`The WebSocket closed (${error.code}): ${error.reason || 'no reason given'}`);
    if (Array.isArray(error)) {
      yield { errors: error } as unknown as ExecutionResult;
      return;
    }
    throw error;
  }
}

function fetcher(params: FetcherParams, options?: FetcherOptions): Promise<ExecutionResult> | AsyncIterableIterator<ExecutionResult> {
  const delivery = deliveryOf(params);
  if (delivery === 'subscription') return subscribe(params, options);
  return delivery === 'deferred' ? deferred(params, options) : post(params, options);
}

createRoot(root).render(
  createElement(GraphiQL, {
    fetcher,
    plugins: plan ? [queryPlanPlugin(plan)] : [],
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: '{\n  "Authorization": ""\n}',
    defaultQuery: root.dataset.example ?? '',
  }),
);
