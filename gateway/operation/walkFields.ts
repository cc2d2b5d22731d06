import { Kind, type FieldNode, type FragmentDefinitionNode, type NamedTypeNode, type SelectionSetNode } from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';
import { fragmentOf } from './fragmentOf.js';
import { isIncluded } from './isIncluded.js';

/** What a walk does at each field and fragment, in a scope of the caller's (a parent type, a depth). */
export interface FieldWalk<S> {
  /** The document's fragments (`fragmentsOf`). */
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /**
   * The request's coerced variables: what `@skip`/`@include` leave out is not walked. Without,
   * every selection written is (what the document could ask for).
   */
  variables?: VariableValues;
  /** Called for each field; returns the scope its own selections are walked in, or undefined to walk none. */
  field(node: FieldNode, scope: S): S | undefined;
  /** The scope a fragment's selections are walked in, from its type condition (none: the scope it is in); undefined to walk none. */
  fragment(typeCondition: NamedTypeNode | undefined, scope: S): S | undefined;
}

/**
 * Walks a selection set depth first, in document order, for walks that collect (root fields,
 * coordinates): each named fragment is walked once, where it is first spread, so a fragment
 * spread many times, or in a cycle, costs one walk; a spread of a fragment the document does not
 * define is passed over. A walk that sums over every use wants `createFragmentMemo` instead.
 */
export function walkFields<S>(selectionSet: SelectionSetNode, scope: S, walk: FieldWalk<S>): void {
  // A Set: fragment names are the client's.
  const walked = new Set<string>();
  const visit = (set: SelectionSetNode, current: S): void => {
    for (const selection of set.selections) {
      if (walk.variables !== undefined && !isIncluded(selection, walk.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const inner = walk.field(selection, current);
        if (inner !== undefined && selection.selectionSet) visit(selection.selectionSet, inner);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (walked.has(selection.name.value)) continue;
        walked.add(selection.name.value);
      }
      const fragment = fragmentOf(selection, walk.fragments);
      const inner = fragment && walk.fragment(fragment.typeCondition, current);
      if (fragment && inner !== undefined) visit(fragment.selectionSet, inner);
    }
  };
  visit(selectionSet, scope);
}
