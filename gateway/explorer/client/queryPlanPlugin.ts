// The explorer's plan view: the query plan of the operation in the editor, as the gateway's
// planner builds it (which subgraphs, which fetches, in which order), like Apollo Sandbox's.
// The gateway offers it in development only (the page's data-plan attribute).
import { useEditorContext, useOperationsEditorState, type GraphiQLPlugin } from '@graphiql/react';
import { createElement as h, useEffect, useState, type ReactNode } from 'react';

/** What `POST /graphiql/plan` answers (see gateway/explorer/describeQueryPlan.ts). */
type PlanStep =
  | { kind: 'Sequence' | 'Parallel'; steps: PlanStep[] }
  | { kind: 'Fetch'; subgraph: string; operation: string }
  | { kind: 'Flatten'; path: string; step: PlanStep }
  | { kind: 'Defer'; primary: PlanStep | null; deferred: Array<{ label: string | null; path: string; step: PlanStep | null }> }
  | { kind: 'Condition'; condition: string; ifClause: PlanStep | null; elseClause: PlanStep | null }
  | { kind: 'Subscription'; primary: PlanStep; rest: PlanStep | null };
interface PlanAnswer {
  subgraphs: string[];
  fetches: number;
  root: PlanStep | null;
  text: string;
}
type PlanState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'plan'; plan: PlanAnswer } | { kind: 'error'; message: string };

// Planning waits for the typing to pause.
const DEBOUNCE_MS = 400;

async function fetchPlan(url: string, query: string, operationName: string | null): Promise<PlanState> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName }) });
  const body = (await response.json()) as PlanAnswer & { errors?: Array<{ message: string }> };
  if (!response.ok) return { kind: 'error', message: body.errors?.map((error) => error.message).join('\n') ?? `HTTP ${response.status}` };
  return { kind: 'plan', plan: body };
}

function stepView(step: PlanStep | null, key: string | number = 0): ReactNode {
  if (!step) return null;
  const box = (title: string, ...children: ReactNode[]) =>
    h('li', { key, className: `portico-plan-${step.kind.toLowerCase()}` }, h('strong', null, title), ...children);
  switch (step.kind) {
    case 'Sequence':
      return box(
        'Sequence (one after another)',
        h(
          'ol',
          null,
          step.steps.map((inner, index) => stepView(inner, index)),
        ),
      );
    case 'Parallel':
      return box(
        'Parallel (at once)',
        h(
          'ul',
          null,
          step.steps.map((inner, index) => stepView(inner, index)),
        ),
      );
    case 'Fetch':
      return box(`Fetch from ${step.subgraph}`, h('pre', null, step.operation));
    case 'Flatten':
      return box(`Flatten at ${step.path}`, h('ul', null, stepView(step.step)));
    case 'Defer':
      return box(
        'Defer',
        h(
          'ul',
          null,
          stepView(step.primary, 'primary'),
          ...step.deferred.map((part, index) => h('li', { key: index }, `deferred ${part.label ?? ''} at ${part.path}`, h('ul', null, stepView(part.step)))),
        ),
      );
    case 'Condition':
      return box(`If ${step.condition}`, h('ul', null, stepView(step.ifClause, 'if'), stepView(step.elseClause, 'else')));
    case 'Subscription':
      return box('Subscription', h('ul', null, stepView(step.primary, 'primary'), stepView(step.rest, 'rest')));
  }
}

function planView(url: string) {
  return function QueryPlanView() {
    const [query] = useOperationsEditorState();
    const operationName = useEditorContext()?.queryEditor?.operationName ?? null;
    const [state, setState] = useState<PlanState>({ kind: 'idle' });
    useEffect(() => {
      if (!query.trim()) return setState({ kind: 'idle' });
      let current = true;
      const timer = setTimeout(() => {
        setState({ kind: 'loading' });
        fetchPlan(url, query, operationName)
          .catch((error: unknown) => ({ kind: 'error' as const, message: String(error) }))
          .then((next) => current && setState(next));
      }, DEBOUNCE_MS);
      return () => {
        current = false;
        clearTimeout(timer);
      };
    }, [query, operationName]);

    const header = h('div', { className: 'graphiql-doc-explorer-title' }, 'Query plan');
    if (state.kind === 'idle') return h('div', null, header, h('p', null, 'Write an operation to see its plan.'));
    if (state.kind === 'loading') return h('div', null, header, h('p', null, 'Planning…'));
    if (state.kind === 'error') return h('div', null, header, h('pre', { className: 'portico-plan-error' }, state.message));
    const { plan } = state;
    return h(
      'div',
      { className: 'portico-plan' },
      header,
      h('p', null, `${plan.fetches} fetch${plan.fetches === 1 ? '' : 'es'} from ${plan.subgraphs.join(' → ') || 'no subgraph'}`),
      h('ul', null, stepView(plan.root)),
      h('details', null, h('summary', null, "Apollo's plan text"), h('pre', null, plan.text)),
    );
  };
}

function PlanIcon() {
  return h(
    'svg',
    { viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
    h('path', { d: 'M4 5h6v4H4zM14 15h6v4h-6zM14 5h6v4h-6zM7 9v8h7M10 7h4' }),
  );
}

/** The plan view as a GraphiQL plugin, asking `url` (the gateway's plan endpoint). */
export function queryPlanPlugin(url: string): GraphiQLPlugin {
  return { title: 'Query plan', icon: PlanIcon, content: planView(url) };
}
