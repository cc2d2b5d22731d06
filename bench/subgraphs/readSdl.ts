import { readFileSync } from 'node:fs';
import { parse, Source, type DocumentNode } from 'graphql';

/** Parses a bench subgraph's SDL file, which lives next to this module. */
export function readSdl(name: string): DocumentNode {
  const file = new URL(`./${name}.graphql`, import.meta.url);
  return parse(new Source(readFileSync(file, 'utf8'), `bench/subgraphs/${name}.graphql`));
}
