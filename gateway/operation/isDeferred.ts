import { Kind, type DirectiveNode } from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';

/**
 * Whether a fragment is deferred as the operation runs: it has `@defer` and its `if` is not
 * false (a literal, or the request's coerced variable, `coercedVariablesOf`), as the planner
 * decides it (a `Condition` node on the variable). `@defer(if: false)` is an ordinary fragment.
 */
export function isDeferred(node: { readonly directives?: readonly DirectiveNode[] | undefined }, variables: VariableValues): boolean {
  const directives = node.directives;
  if (directives === undefined || directives.length === 0) return false;
  for (const directive of directives) {
    if (directive.name.value !== 'defer') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (condition === undefined) return true;
    if (condition.kind === Kind.BOOLEAN) return condition.value;
    if (condition.kind === Kind.VARIABLE) return variables.get(condition.name.value) !== false;
    return true;
  }
  return false;
}
