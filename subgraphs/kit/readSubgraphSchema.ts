import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import { projectRoot } from '../../common/projectRoot.js';

/** A subgraph's SDL from `schema/<name>.graphql`: the same file composition reads. */
export function readSubgraphSchema(name: string): DocumentNode {
  return parse(readFileSync(join(projectRoot, 'schema', `${name}.graphql`), 'utf8'));
}
