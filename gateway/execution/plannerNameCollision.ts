import type { PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import { GraphQLError, Kind, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { fragmentOf } from '../operation/fragmentOf.js';
import type { TypeMatcher } from './compileRequires.js';

/**
 * The refusal of an operation whose plan would mix a name of the client's with one the query
 * planner uses itself; undefined for every other operation.
 *
 * Aliases: Apollo's planner adds to a subgraph fetch the fields a later fetch reads from its
 * objects (an entity's key fields and `@requires` inputs, the `requires` of that later fetch),
 * and merges a fetch's selections by response name. A client's alias that is one of those names
 * on another field, in the objects the later fetch reads (`{ topProducts { shippingEstimate
 * price: weight } }`, `price` being an input of `shippingEstimate`), is merged with the planner's
 * field: one value answers for both, so the client reads the real `price` under its alias
 * (whatever authorization decided about `price`), or the later subgraph is sent `weight` as
 * `price`. Apollo Gateway answers such operations so. Found from the plan, only where a later
 * fetch reads the name, so an alias that collides with nothing is served (`reviews { id: body
 * body: id }` where no fetch reads a review's `id`).
 *
 * Variables: an entity fetch passes its entities as `$representations`; a client variable of
 * that name used in the same fetch is declared twice there, and the subgraph refuses the fetch.
 *
 * Either is the document's fault: `GRAPHQL_VALIDATION_FAILED`, naming what to rename.
 */
export function plannerNameCollision(
  plan: QueryPlan,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  matches: TypeMatcher,
): GraphQLError | undefined {
  let found: { field: FieldNode; needed: string } | undefined;
  let representations = false;

  // Each selection set's fields once, and each field and selection set once per step (by identity):
  // a fragment spread in many places, or a field written many times, must not multiply the walk,
  // which would grow as the product of the repeats along a path.
  const expanded = new Map<readonly SelectionNode[], FieldNode[]>();
  // The innermost type condition each field is written under (none: the parent type's own).
  const conditionOf = new Map<FieldNode, string | undefined>();
  const fieldsIn = (places: readonly (readonly SelectionNode[])[]): FieldNode[] => {
    const fields = new Set<FieldNode>();
    for (const selections of places) {
      let own = expanded.get(selections);
      if (!own) expanded.set(selections, (own = fieldsOf(selections, fragments, undefined, conditionOf)));
      for (const field of own) fields.add(field);
    }
    return [...fields];
  };
  // Whether a field written under type condition `on` is in the objects of type `type` a fetch reads.
  const readIn = (field: FieldNode, type: string | undefined): boolean => {
    const on = conditionOf.get(field);
    return on === undefined || type === undefined || matches(on, type) || matches(type, on);
  };
  const childrenOf = (fields: readonly FieldNode[]): (readonly SelectionNode[])[] => [
    ...new Set(fields.flatMap((field) => (field.selectionSet ? [field.selectionSet.selections] : []))),
  ];

  // The client's selection sets at a response path (`@` steps are lists' elements, typed steps are skipped).
  const selectionsAt = (path: readonly (string | number)[]): (readonly SelectionNode[])[] => {
    let places: (readonly SelectionNode[])[] = [operation.selectionSet.selections];
    for (const step of path) {
      if (typeof step !== 'string' || step.startsWith('@') || step.startsWith('... on ')) continue;
      places = childrenOf(fieldsIn(places).filter((field) => responseName(field) === step));
    }
    return places;
  };

  const check = (requires: readonly QueryPlanSelectionNode[], places: (readonly SelectionNode[])[], type?: string): void => {
    for (const needed of requires) {
      if (found) return;
      if (needed.kind === 'InlineFragment') {
        check(needed.selections, places, needed.typeCondition ?? type);
        continue;
      }
      const key = needed.alias ?? needed.name;
      const fields = fieldsIn(places).filter((field) => responseName(field) === key && readIn(field, type));
      const other = fields.find((field) => field.name.value !== needed.name);
      if (other) {
        found = { field: other, needed: needed.name };
        return;
      }
      if (needed.selections) check(needed.selections, childrenOf(fields));
    }
  };

  const visit = (node: PlanNode | undefined, path: readonly (string | number)[]): void => {
    if (!node || found || representations) return;
    switch (node.kind) {
      case 'Fetch':
        if (node.requires) check(node.requires, selectionsAt(path));
        if (node.requires && node.variableUsages?.includes(REPRESENTATIONS)) representations = true;
        return;
      case 'Flatten':
        visit(node.node, [...path, ...node.path]);
        return;
      case 'Sequence':
      case 'Parallel':
        for (const child of node.nodes) visit(child, path);
        return;
      case 'Condition':
        visit(node.ifClause, path);
        visit(node.elseClause, path);
        return;
      case 'Defer':
        visit(node.primary.node, path);
        // A deferred part's fetches are planned from the root, as the primary's are.
        for (const block of node.deferred) visit(block.node, []);
        return;
    }
  };
  visit(plan.node?.kind === 'Subscription' ? plan.node.rest : plan.node, []);

  if (representations) {
    return new GraphQLError(
      `The variable name "$${REPRESENTATIONS}" is the one federation gives the entities a subgraph is asked for, and this operation uses it where the gateway asks a subgraph for entities. Rename the variable.`,
      { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } },
    );
  }
  if (!found) return undefined;
  const alias = responseName(found.field);
  return new GraphQLError(
    `The alias "${alias}" on field "${found.field.name.value}" is the name of a field the gateway must fetch itself in the same objects ("${found.needed}", a key or @requires input of another subgraph's field); federation's query planner would answer both with one value. Choose another alias.`,
    { nodes: found.field, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } },
  );
}

// The variable Apollo's planner passes an entity fetch's representations in.
const REPRESENTATIONS = 'representations';

function responseName(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

// The fields of a selection set with its fragments flattened, whatever their directives; each
// field's innermost type condition goes in `conditionOf`.
function fieldsOf(
  selections: readonly SelectionNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  on: string | undefined,
  conditionOf: Map<FieldNode, string | undefined>,
  seen = new Set<string>(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
      conditionOf.set(selection, on);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(selection.name.value)) continue;
      seen.add(selection.name.value);
    }
    const fragment = fragmentOf(selection, fragments);
    if (fragment) fields.push(...fieldsOf(fragment.selectionSet.selections, fragments, fragment.typeCondition?.name.value ?? on, conditionOf, seen));
  }
  return fields;
}
