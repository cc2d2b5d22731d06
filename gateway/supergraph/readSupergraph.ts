import { readFileSync } from 'node:fs';
import { Kind, parse, type ConstValueNode } from 'graphql';

export interface SupergraphSubgraph {
  /** The subgraph's name as composition knows it (`join__graph(name:)`). */
  name: string;
  /** Its routing URL as composed (`join__graph(url:)`). */
  url: string;
}

export interface Supergraph {
  sdl: string;
  subgraphs: SupergraphSubgraph[];
}

/**
 * Reads a composed supergraph file and lists its subgraphs from the `join__Graph` enum, so
 * that config can be checked against it before the gateway starts. Throws an `Error` naming
 * the file when it cannot be read or is not a supergraph.
 */
export function readSupergraph(file: string): Supergraph {
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph ${file}: ${(error as Error).message}`);
  }
  let document;
  try {
    document = parse(sdl, { noLocation: true });
  } catch (error) {
    throw new Error(`The supergraph ${file} is not valid GraphQL SDL: ${(error as Error).message}`);
  }
  const subgraphs: SupergraphSubgraph[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const argument = (name: string) => stringValue(directive?.arguments?.find((a) => a.name.value === name)?.value);
      const name = argument('name');
      if (name !== undefined) subgraphs.push({ name, url: argument('url') ?? '' });
    }
  }
  if (subgraphs.length === 0) {
    throw new Error(`The supergraph ${file} names no subgraphs (no join__Graph enum); is it the output of "portico compose"?`);
  }
  return { sdl, subgraphs };
}

function stringValue(node: ConstValueNode | undefined): string | undefined {
  return node?.kind === Kind.STRING ? node.value : undefined;
}
