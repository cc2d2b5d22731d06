import { Kind, type FragmentDefinitionNode, type FragmentSpreadNode, type InlineFragmentNode } from 'graphql';

/**
 * What a fragment selection stands for: an inline fragment itself, a spread its definition in
 * `fragments` (see `fragmentsOf`); undefined for a spread of a fragment the document does not
 * define (which validation refuses), so that a walker skips it rather than throwing.
 */
export function fragmentOf(
  selection: InlineFragmentNode | FragmentSpreadNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): InlineFragmentNode | FragmentDefinitionNode | undefined {
  return selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
}
