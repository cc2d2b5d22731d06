import { Kind, OperationTypeNode, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { fragmentOf } from './fragmentOf.js';
import { fragmentsOf } from './fragmentsOf.js';
import { isInclusionDirective } from './isIncluded.js';

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * What a subscription of `document` uses that the gateway cannot run, said for the client, or
 * null: `@skip` or `@include` on its root fields (or on fragments at its root), which GraphQL's
 * draft forbids there and graphql-js 16's validation, given a variable in them, throws on
 * instead of reporting; and `@defer` anywhere in it, which Apollo's query planner does not plan
 * for subscriptions. Both are the document's fault, and were answered 500.
 */
export function unsupportedInSubscription(document: DocumentNode): string | null {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== OperationTypeNode.SUBSCRIPTION) continue;
    const fragments = fragmentsOf(document);
    if (conditionAtRoot(definition.selectionSet, fragments, new Set())) {
      return "A subscription's root field cannot have @skip or @include, nor can a fragment at its root: subscribe to the field or leave it out";
    }
    if (usesDefer(definition.selectionSet, fragments, new Set())) {
      return '@defer cannot be used in a subscription: select the fields in the event itself';
    }
  }
  return null;
}

// `seen`: fragment names (the client's, so a Set), each walked once however often it is spread, cycles included.
function conditionAtRoot(set: SelectionSetNode, fragments: Fragments, seen: Set<string>): boolean {
  return set.selections.some((selection) => {
    if (selection.directives?.some(isInclusionDirective)) return true;
    if (selection.kind === Kind.FIELD) return false;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
    }
    const fragment = fragmentOf(selection, fragments);
    return fragment !== undefined && conditionAtRoot(fragment.selectionSet, fragments, seen);
  });
}

function usesDefer(set: SelectionSetNode, fragments: Fragments, seen: Set<string>): boolean {
  return set.selections.some((selection) => {
    if (selection.directives?.some((directive) => directive.name.value === 'defer')) return true;
    if (selection.kind === Kind.FIELD) return selection.selectionSet !== undefined && usesDefer(selection.selectionSet, fragments, seen);
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
    }
    const fragment = fragmentOf(selection, fragments);
    return fragment !== undefined && usesDefer(fragment.selectionSet, fragments, seen);
  });
}
