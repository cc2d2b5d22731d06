import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

// A parsed document never changes, and Apollo Server hands out one per query text: its fragments
// are looked up once per document, shared by every stage and every request that sends it.
const known = new WeakMap<DocumentNode, ReadonlyMap<string, FragmentDefinitionNode>>();

/**
 * A document's fragments by name: the only fragment map of the gateway. A `Map`, because the
 * names are the client's (`__proto__`, `constructor`). Where a name is defined twice (which
 * validation refuses) the last definition wins, as in graphql-js's own validation context.
 * Keyed by the document, never by the request: authorization hands the executor a rewritten
 * document, which gets its own.
 */
export function fragmentsOf(document: DocumentNode): ReadonlyMap<string, FragmentDefinitionNode> {
  let fragments = known.get(document);
  if (fragments) return fragments;
  const found = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) found.set(definition.name.value, definition);
  }
  fragments = found;
  known.set(document, fragments);
  return fragments;
}
