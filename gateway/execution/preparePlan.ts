import type { DeferredNode, FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { Kind, parse, type GraphQLError, type SelectionNode } from 'graphql';
import { compileRequires, type Projector, type TypeMatcher } from './compileRequires.js';
import { mergeEntityFetches, type MergedOperation } from './mergeEntityFetches.js';
import { createShapingPrograms, type ShapingPrograms } from './createShapingPrograms.js';
import { deferredBlocksOf } from './deferredBlocksOf.js';
import { schedulePlan, type ScheduledFetch } from './schedulePlan.js';

/** A query plan with what running it needs, worked out once and kept with the cached plan. */
export interface PreparedPlan {
  /** The plan's root node; none when the operation needs no subgraph (introspection, `__typename`). */
  node: PlanNode | undefined;
  /** Whether the plan is a subscription's: then `node` is what runs per event, after `primary`. */
  subscription: boolean;
  /** A subscription's fetch opened upstream; each of its events starts a run of `node`. */
  primary?: FetchNode;
  /** The fetches in waves, for these `Condition` outcomes: of the plan, or of one of its deferred parts (`from`). */
  schedule(condition: (variable: string) => boolean, from?: PlanNode): ScheduledFetch[][];
  /** The deferred parts that follow what `schedule` runs (none for a plan without `@defer`). */
  deferred(condition: (variable: string) => boolean, from?: PlanNode): readonly DeferredNode[];
  /** A deferred part's subselection, as the planner printed it, parsed. */
  subselection(text: string | undefined): readonly SelectionNode[];
  projector(fetch: FetchNode): Projector;
  /** Equal for fetches that send the same operation and read and rewrite entities alike. */
  signature(fetch: FetchNode): string;
  /** One operation for these entity fetches to one subgraph, or null if they cannot share one. */
  merged(fetches: readonly FetchNode[]): MergedOperation | null;
  /** The operation's compiled response shaping, kept with its plan. */
  shaping: ShapingPrograms;
  /** Why the operation is refused though it plans (`plannerNameCollision`): kept with the plan, so a repeat is not planned again. */
  refusal: GraphQLError | undefined;
}

export function preparePlan(plan: QueryPlan, matches: TypeMatcher, refusal?: GraphQLError): PreparedPlan {
  // A subscription's plan runs its `rest` for each event of its `primary` fetch.
  const node = plan.node?.kind === 'Subscription' ? plan.node.rest : plan.node;
  const conditions = new Set<string>();
  collectConditions(node, conditions);
  const schedules = new Map<PlanNode, Map<string, ScheduledFetch[][]>>();
  const deferred = new Map<PlanNode, Map<string, readonly DeferredNode[]>>();
  const subselections = new Map<string, readonly SelectionNode[]>();
  // Keyed by the outcome of every condition of the plan: usually none, so one schedule.
  const keyOf = (condition: (variable: string) => boolean) => [...conditions].map((name) => (condition(name) ? '1' : '0')).join('');
  const cached = <T>(byNode: Map<PlanNode, Map<string, T>>, from: PlanNode, key: string, compute: () => T): T => {
    let byKey = byNode.get(from);
    if (!byKey) byNode.set(from, (byKey = new Map()));
    let value = byKey.get(key);
    if (value === undefined) byKey.set(key, (value = compute()));
    return value;
  };
  const projectors = new Map<FetchNode, Projector>();
  const ids = new Map<FetchNode, number>();
  const merges = new Map<string, MergedOperation | null>();
  const signatures = new Map<FetchNode, string>();
  return {
    node,
    subscription: plan.node?.kind === 'Subscription',
    ...(plan.node?.kind === 'Subscription' ? { primary: plan.node.primary } : {}),
    shaping: createShapingPrograms(),
    refusal,
    schedule(condition, from = node) {
      if (!from) return [];
      return cached(schedules, from, keyOf(condition), () => schedulePlan(from, condition));
    },
    deferred(condition, from = node) {
      if (!from) return [];
      return cached(deferred, from, keyOf(condition), () => deferredBlocksOf(from, condition));
    },
    subselection(text) {
      if (text === undefined) return [];
      let selections = subselections.get(text);
      if (!selections) {
        // The planner prints it as a selection set: `{ reviews { body } }`, a query in short form.
        const [definition] = parse(text, { noLocation: true }).definitions;
        selections = definition?.kind === Kind.OPERATION_DEFINITION ? definition.selectionSet.selections : [];
        subselections.set(text, selections);
      }
      return selections;
    },
    projector(fetch) {
      let projector = projectors.get(fetch);
      if (!projector) {
        projector = compileRequires(fetch.requires ?? [], matches);
        projectors.set(fetch, projector);
      }
      return projector;
    },
    signature(fetch) {
      let signature = signatures.get(fetch);
      if (signature === undefined) {
        // The planner names each fetch's operation; the rest is what it asks.
        const operation = fetch.operationName ? fetch.operation.replace(fetch.operationName, '') : fetch.operation;
        signature = JSON.stringify([fetch.serviceName, operation, fetch.requires, fetch.inputRewrites, fetch.outputRewrites, fetch.variableUsages]);
        signatures.set(fetch, signature);
      }
      return signature;
    },
    merged(fetches) {
      const key = fetches
        .map((fetch) => {
          let id = ids.get(fetch);
          if (id === undefined) ids.set(fetch, (id = ids.size));
          return id;
        })
        .join(',');
      if (!merges.has(key)) merges.set(key, mergeEntityFetches(fetches));
      return merges.get(key)!;
    },
  };
}

function collectConditions(node: PlanNode | undefined, into: Set<string>): void {
  if (!node) return;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) collectConditions(child, into);
      return;
    case 'Flatten':
      collectConditions(node.node, into);
      return;
    case 'Condition':
      into.add(node.condition);
      collectConditions(node.ifClause, into);
      collectConditions(node.elseClause, into);
      return;
    case 'Defer':
      collectConditions(node.primary.node, into);
      for (const block of node.deferred) collectConditions(block.node, into);
      return;
    default:
      return;
  }
}
