import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** A subgraph's SDL from `schema/<name>.graphql`: the same file composition reads. */
export function readSubgraphSchema(name: string): DocumentNode {
  const file = new URL(`../../schema/${name}.graphql`, import.meta.url);
  return parse(readFileSync(file, 'utf8'));
}
