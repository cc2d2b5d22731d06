import { Kind, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';
import { fragmentOf } from './fragmentOf.js';
import { isIncluded } from './isIncluded.js';

/**
 * The operation's root fields, in document order, through inline fragments and fragment spreads
 * (each named fragment once, however often it is spread, and a cycle ends where it closes).
 * With the request's coerced `variables`, the fields `@skip`/`@include` leave out are left out;
 * without, every field written counts (what the document could ask for).
 */
export function rootFieldsOf(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables?: VariableValues,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const spread = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (variables !== undefined && !isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        fields.push(selection);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (spread.has(selection.name.value)) continue;
        spread.add(selection.name.value);
      }
      const fragment = fragmentOf(selection, fragments);
      if (fragment) walk(fragment.selectionSet);
    }
  };
  walk(operation.selectionSet);
  return fields;
}
