import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isListType,
  isNonNullType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { VariableValues } from '../execution/coercedVariablesOf.js';
import { fragmentOf } from '../operation/fragmentOf.js';
import { fragmentsOf } from '../operation/fragmentsOf.js';
import { isDeferred } from '../operation/isDeferred.js';
import { isIncluded, isInclusionDirective } from '../operation/isIncluded.js';
import { createDeferLabels } from './createDeferLabels.js';
import { combine, noRequirement, type AuthorizationRules, type Requirement } from './AuthorizationRules.js';

/** One step from the response root to a removed field. */
export interface Step {
  key: string;
  type: GraphQLOutputType;
  /** Only objects of these runtime types hold the key (it was selected in a typed fragment). */
  onlyFor: ReadonlySet<string> | null;
}

/** A selection the caller may not make. */
export interface Removal {
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  /** What was refused, for the error message: a coordinate such as `User.email`, or a type. */
  what: string;
  /** What the caller asked to do with it: `use` for a mutation's (or subscription's) root field, else `read`. */
  action: 'read' | 'use';
  /** Where the error is reported: response keys, with `@` for each list level. */
  errorPath: string[];
  /** Where the response gets a null; none for a removed fragment, whose fields are simply absent. */
  steps: Step[] | null;
  /**
   * Inside a fragment `@defer` delivers later: how many steps lead to it and the label Portico
   * gave it (`createDeferLabels`). Its null and error then go in that deferred part, for a client
   * that receives parts (`patchDeferredParts`).
   */
  deferredAt?: { depth: number; label: string };
}

type DeferredAt = Removal['deferredAt'];

export interface FilteredOperation {
  document: DocumentNode;
  removals: Removal[];
  /** The client's label behind each label Portico gave a `@defer` of `document`, for those it labelled. */
  clientLabels: ReadonlyMap<string, string>;
  /** The response key of the placeholders this operation got (see `placeholderKey`), or one it has none of: no field of the document answers under it. */
  placeholderKey: string;
}

/**
 * The alias of the `__typename` Portico adds (to keep a selection set valid, or to tell runtime
 * types apart); stripped from the response. An operation whose own aliases use it gets the
 * first of `portico__typename_`, `portico__typename__`, … it does not use.
 */
export const placeholderKey = 'portico__typename';

// Fragments are inlined as they are walked; this bounds what a fragment-heavy document can cost.
const maxSelections = 50_000;

export type Decide = (requirement: Requirement) => 'UNAUTHENTICATED' | 'FORBIDDEN' | null;

/**
 * The operation without what the caller may not see, for the gateway to plan: fragments are
 * inlined (so each use is judged where it is used), selections excluded by `@skip`/`@include`
 * are dropped, every field, and every fragment on a type, whose requirement `decide` refuses
 * is removed, and every `@defer` gets a label of Portico's (`createDeferLabels`), for each
 * removal to name the deferred part it belongs in. A selection on an abstract type can read
 * any of its possible types, so it needs each of their requirements too. Returns null when
 * nothing is removed.
 *
 * `operation` is the one Apollo Server resolved, and `variables` the request's coerced values
 * (`coercedVariablesOf`): the very values execution reads, so that what is judged here is
 * exactly what runs.
 */
export function filterOperation(
  schema: GraphQLSchema,
  rules: AuthorizationRules,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: VariableValues,
  decide: Decide,
): FilteredOperation | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const query = schema.getQueryType();
  const fragments = fragmentsOf(document);
  const removals: Removal[] = [];
  const labels = createDeferLabels();
  let visited = 0;
  let placeholderNode: FieldNode | undefined;
  const placeholder = () => (placeholderNode ??= placeholderSelection(unusedKey(document)));

  const typeRule = (name: string) => rules.types.get(name) ?? noRequirement;
  const fieldRule = (type: string, field: string) => rules.fields.get(`${type}.${field}`) ?? noRequirement;

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: Step[],
    onlyFor: ReadonlySet<string> | null,
    deferred: DeferredAt,
  ): SelectionSetNode => {
    const at = deferred ? { deferredAt: deferred } : {};
    const possible = isAbstractType(parent) ? schema.getPossibleTypes(parent) : [];
    const selections: SelectionNode[] = [];
    let typedRemovals = false;
    for (const selection of set.selections) {
      visited += 1;
      if (visited > maxSelections) {
        throw new GraphQLError(`The operation is too large to authorize (more than ${maxSelections} selections once fragments are expanded).`, {
          // A status of its own: thrown from the executor without one, Apollo Server answers 500.
          extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
        });
      }
      // An unknown value counts as included, so that authorization still applies.
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // Introspection answers with the schema, never with data.
        if (name === '__schema' || name === '__type') {
          selections.push(selection);
          continue;
        }
        const definition = name === '__typename' ? null : 'getFields' in parent ? parent.getFields()[name] : undefined;
        if (definition === undefined) {
          selections.push(selection);
          continue;
        }
        let requirement = definition ? combine(fieldRule(parent.name, name), typeRule(getNamedType(definition.type).name)) : noRequirement;
        for (const type of possible) requirement = combine(requirement, combine(typeRule(type.name), fieldRule(type.name, name)));
        const key = selection.alias?.value ?? name;
        const type = definition?.type ?? schema.getType('String')!;
        const step: Step = { key, type: type as GraphQLOutputType, onlyFor };
        const code = decide(requirement);
        if (code) {
          // A mutation's root field is something the caller does; any other field, something it reads.
          const action = path.length === 0 && parent === root && root !== query ? 'use' : 'read';
          removals.push({ code, what: `${parent.name}.${name}`, action, errorPath: errorPathOf([...path, step]), steps: [...path, step], ...at });
          if (onlyFor) typedRemovals = true;
          continue;
        }
        const child =
          selection.selectionSet && definition
            ? walk(selection.selectionSet, getNamedType(definition.type) as GraphQLCompositeType, [...path, step], null, deferred)
            : undefined;
        selections.push(child ? ({ ...selection, selectionSet: child } satisfies FieldNode) : selection);
        continue;
      }
      const fragment = fragmentOf(selection, fragments);
      if (!fragment) continue;
      const conditionName = fragment.typeCondition?.name.value;
      const condition = conditionName ? (schema.getType(conditionName) as GraphQLCompositeType | undefined) : parent;
      if (!condition) continue;
      const narrows = condition.name !== parent.name;
      const code = narrows ? decide(typeRule(condition.name)) : null;
      if (code) {
        removals.push({ code, what: condition.name, action: 'read', errorPath: errorPathOf(path), steps: null, ...at });
        continue;
      }
      const narrowed = narrows ? new Set((isAbstractType(condition) ? schema.getPossibleTypes(condition) : [condition]).map((type) => type.name)) : onlyFor;
      const { directives, label } = labels.label(selection.directives?.filter((directive) => !isInclusionDirective(directive)));
      const inner = label !== undefined && isDeferred(selection, variables) ? { depth: path.length, label } : deferred;
      const child = walk(fragment.selectionSet, condition, path, narrowed, inner);
      selections.push({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives, selectionSet: child });
    }
    // Kept valid when emptied, and able to tell runtime types apart when a typed fragment lost fields.
    if (selections.length === 0 || typedRemovals) selections.push(placeholder());
    return { kind: Kind.SELECTION_SET, selections };
  };

  const selectionSet = walk(operation.selectionSet, root, [], null, undefined);
  if (removals.length === 0) return null;
  return {
    document: { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet }] },
    removals,
    clientLabels: labels.clientLabels,
    // Without a placeholder, still a key no field of the document has: the response is stripped of it.
    placeholderKey: placeholderNode?.alias?.value ?? unusedKey(document),
  };
}

const placeholderSelection = (key: string): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: key },
  name: { kind: Kind.NAME, value: '__typename' },
});

// A response key no field of the document has: a client's own `portico__typename` alias must
// neither clash with a placeholder nor be stripped as one.
function unusedKey(document: DocumentNode): string {
  const taken = new Set<string>();
  visit(document, { Field: (node) => void taken.add(node.alias?.value ?? node.name.value) });
  let key = placeholderKey;
  while (taken.has(key)) key = `${key}_`;
  return key;
}

// Router's convention: response keys, and `@` where a list stands for each of its items.
function errorPathOf(steps: Step[]): string[] {
  const path: string[] = [];
  steps.forEach((step, index) => {
    path.push(step.key);
    if (index === steps.length - 1) return;
    let type: GraphQLOutputType = step.type;
    for (;;) {
      if (isNonNullType(type)) type = type.ofType;
      else if (isListType(type)) {
        path.push('@');
        type = type.ofType;
      } else break;
    }
  });
  return path;
}
