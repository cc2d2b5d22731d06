import { Kind, type DirectiveNode } from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';

/**
 * Whether a field or fragment is part of the operation as it runs: the only place `@skip` and
 * `@include` are evaluated. `variables` are the request's coerced values (`coercedVariablesOf`,
 * defaults applied), the ones execution reads: judging by the variables as sent once let a
 * defaulted `@skip(if: $v)` hide from authorization a field that execution then selected.
 * Only a condition known to exclude excludes (`@skip(if: true)`, `@include(if: false)`), so
 * that an unknown value leaves the selection in, under every check that applies to it.
 */
export function isIncluded(node: { readonly directives?: readonly DirectiveNode[] | undefined }, variables: VariableValues): boolean {
  const directives = node.directives;
  // The common case: no directive at all (this runs for every selection of every response).
  if (directives === undefined || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    const value = condition?.kind === Kind.BOOLEAN ? condition.value : condition?.kind === Kind.VARIABLE ? variables.get(condition.name.value) : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value === false) return false;
  }
  return true;
}

/** Whether a directive is `@skip` or `@include`: one `isIncluded` has already evaluated, for a stage that drops them. */
export function isInclusionDirective(directive: DirectiveNode): boolean {
  return directive.name.value === 'skip' || directive.name.value === 'include';
}
