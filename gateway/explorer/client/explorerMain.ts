// The offline explorer's page script, bundled by `portico codegen` into ../generated/: GraphiQL
// with its docs explorer, history and headers editor, talking to this gateway only.
import { GraphiQL } from 'graphiql';
import { getOperationAST, parse, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws/client';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import { queryPlanPlugin } from './queryPlanPlugin.js';

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

function isSubscription(params: FetcherParams): boolean {
  try {
    return getOperationAST(parse(params.query), params.operationName ?? undefined)?.operation === 'subscription';
  } catch {
    // The gateway says what is wrong with it.
    return false;
  }
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

function fetcher(params: FetcherParams, options?: FetcherOptions): Promise<ExecutionResult> | AsyncGenerator<ExecutionResult> {
  return isSubscription(params) ? subscribe(params, options) : post(params, options);
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
