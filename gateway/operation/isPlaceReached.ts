import type { SelectionNode } from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';
import { isIncluded } from './isIncluded.js';
import type { NonNullPlace } from './nullableVariablesInNonNullPlaces.js';

/**
 * Whether execution reads `place` with these variables: every condition of one of its routes
 * lets it in, judged as graphql-js judges them (`@skip` first; an `@include` argument is read
 * only where `@skip` did not already leave the selection out).
 */
export function isPlaceReached(place: NonNullPlace, variables: VariableValues): boolean {
  return place.routes.some((route) =>
    route.every((condition) => (condition.only === 'skip' ? !isSkipped(condition.node, variables) : isIncluded(condition.node, variables))),
  );
}

function isSkipped(node: SelectionNode, variables: VariableValues): boolean {
  const skip = node.directives?.find((directive) => directive.name.value === 'skip');
  return skip !== undefined && !isIncluded({ directives: [skip] }, variables);
}
