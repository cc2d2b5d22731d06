import type { PlanNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';

/** One step of a query plan as the explorer's plan view draws it. */
export type PlanStep =
  | { kind: 'Sequence' | 'Parallel'; steps: PlanStep[] }
  | { kind: 'Fetch'; subgraph: string; operation: string }
  | { kind: 'Flatten'; path: string; step: PlanStep }
  | { kind: 'Defer'; primary: PlanStep | null; deferred: Array<{ label: string | null; path: string; step: PlanStep | null }> }
  | { kind: 'Condition'; condition: string; ifClause: PlanStep | null; elseClause: PlanStep | null }
  | { kind: 'Subscription'; primary: PlanStep; rest: PlanStep | null };

/** A query plan as the plan view draws it: its steps, and the subgraphs it fetches from in the order it first does. */
export interface PlanDescription {
  subgraphs: string[];
  fetches: number;
  root: PlanStep | null;
}

/** What of Apollo's plan the explorer shows (Apollo's nodes hold ASTs and rewrites it does not need). */
export function describeQueryPlan(plan: QueryPlan): PlanDescription {
  const subgraphs: string[] = [];
  let fetches = 0;
  const step = (node: PlanNode | SubscriptionNode): PlanStep => {
    switch (node.kind) {
      case 'Sequence':
      case 'Parallel':
        return { kind: node.kind, steps: node.nodes.map(step) };
      case 'Fetch':
        fetches += 1;
        if (!subgraphs.includes(node.serviceName)) subgraphs.push(node.serviceName);
        return { kind: 'Fetch', subgraph: node.serviceName, operation: node.operation };
      case 'Flatten':
        return { kind: 'Flatten', path: node.path.join('.'), step: step(node.node) };
      case 'Defer':
        return {
          kind: 'Defer',
          primary: node.primary.node ? step(node.primary.node) : null,
          deferred: node.deferred.map((deferred) => ({
            label: deferred.label ?? null,
            path: deferred.queryPath.join('.'),
            step: deferred.node ? step(deferred.node) : null,
          })),
        };
      case 'Condition':
        return {
          kind: 'Condition',
          condition: node.condition,
          ifClause: node.ifClause ? step(node.ifClause) : null,
          elseClause: node.elseClause ? step(node.elseClause) : null,
        };
      case 'Subscription':
        return { kind: 'Subscription', primary: step(node.primary), rest: node.rest ? step(node.rest) : null };
      default: {
        const unknown: never = node;
        throw new Error(`unknown plan node ${(unknown as { kind: string }).kind}`);
      }
    }
  };
  const root = plan.node ? step(plan.node) : null;
  return { subgraphs, fetches, root };
}
