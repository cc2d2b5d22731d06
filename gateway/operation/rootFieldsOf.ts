import type { FieldNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';
import { walkFields } from './walkFields.js';

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
  walkFields<null>(operation.selectionSet, null, {
    fragments,
    ...(variables === undefined ? {} : { variables }),
    field: (node) => void fields.push(node),
    fragment: (_, scope) => scope,
  });
  return fields;
}
