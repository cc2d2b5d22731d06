import type { FragmentDefinitionNode } from 'graphql';

/**
 * Computes `compute(fragment)` for a spread of the named fragment, once per `key` (the name
 * unless the caller's value also depends on where the spread is).
 */
export type FragmentMemo<T> = (name: string, compute: (fragment: FragmentDefinitionNode) => T, key?: string) => T;

/**
 * How a walker that sums something over a document (its size, its cost, its root fields)
 * resolves fragment spreads: each fragment's value is computed once per key and reused
 * wherever it is spread, so a document that spreads fragments exponentially (a fragment bomb)
 * is walked in linear time; a spread of a fragment being computed (a cycle, which validation
 * refuses) or of one the document does not define is worth `fallback` and ends the walk there.
 */
export function createFragmentMemo<T>(fragments: ReadonlyMap<string, FragmentDefinitionNode>, fallback: T): FragmentMemo<T> {
  // Maps: fragment names are the client's.
  const values = new Map<string, T>();
  const computing = new Set<string>();
  return (name, compute, key = name) => {
    if (values.has(key)) return values.get(key) as T;
    const fragment = fragments.get(name);
    if (fragment === undefined || computing.has(name)) return fallback;
    computing.add(name);
    try {
      const value = compute(fragment);
      values.set(key, value);
      return value;
    } finally {
      computing.delete(name);
    }
  };
}
