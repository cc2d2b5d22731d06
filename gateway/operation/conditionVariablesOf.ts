import { Kind, type FragmentDefinitionNode, type SelectionNode } from 'graphql';

// The directives whose `if` decides, per request, what an operation selects or defers.
const CONDITIONAL = new Set(['skip', 'include', 'defer']);

/** The variables `@skip`, `@include` and `@defer` read in these selections and the fragments they spread. */
export function conditionVariablesOf(selections: readonly SelectionNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const found = new Set<string>();
  const visited = new Set<string>();
  const walk = (list: readonly SelectionNode[]): void => {
    for (const selection of list) {
      for (const directive of selection.directives ?? []) {
        if (!CONDITIONAL.has(directive.name.value)) continue;
        for (const argument of directive.arguments ?? []) {
          if (argument.name.value === 'if' && argument.value.kind === Kind.VARIABLE) found.add(argument.value.name.value);
        }
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment && !visited.has(name)) {
          visited.add(name);
          walk(fragment.selectionSet.selections);
        }
      } else if (selection.selectionSet) walk(selection.selectionSet.selections);
    }
  };
  walk(selections);
  return [...found];
}
