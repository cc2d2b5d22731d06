// The offline explorer's page script, bundled by `portico codegen` into ../generated/: GraphiQL
// with its docs explorer, history and headers editor, talking to this gateway only.
import { GraphiQL } from 'graphiql';
import type { ExecutionResult } from 'graphql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import { queryPlanPlugin } from './queryPlanPlugin.js';

type FetcherParams = { query: string; operationName?: string | null; variables?: Record<string, unknown> | null };

const root = document.getElementById('graphiql');
if (!root) throw new Error('the explorer page has no #graphiql element');
// The gateway writes its GraphQL path into the page, so a custom server.graphqlPath works too.
const endpoint = new URL(root.dataset.endpoint ?? '/graphql', window.location.href).href;

// GraphiQL's toolkit fetcher would add a dependency for what is one POST.
async function fetcher(params: FetcherParams, options?: { headers?: Record<string, unknown> }): Promise<ExecutionResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
  return (await response.json()) as ExecutionResult;
}

// The gateway names its plan endpoint in development only.
const plan = root.dataset.plan ? new URL(root.dataset.plan, window.location.href).href : null;

createRoot(root).render(
  createElement(GraphiQL, {
    fetcher,
    plugins: plan ? [queryPlanPlugin(plan)] : [],
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: '{\n  "Authorization": ""\n}',
    defaultQuery: root.dataset.example ?? '',
  }),
);
