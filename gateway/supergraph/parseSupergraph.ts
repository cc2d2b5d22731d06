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
 * Checks that `sdl` is a composed supergraph and lists its subgraphs from the `join__Graph` enum.
 * Throws an `Error` naming `source` (the file or URL it came from) when it is not.
 */
export function parseSupergraph(sdl: string, source: string): Supergraph {
  let document;
  try {
    document = parse(sdl, { noLocation: true });
  } catch (error) {
    throw new Error(`The supergraph ${source} is not valid GraphQL SDL: ${(error as Error).message}`);
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
    throw new Error(`The supergraph ${source} names no subgraphs (no join__Graph enum); is it the output of "portico compose"?`);
  }
  return { sdl, subgraphs };
}

function stringValue(node: ConstValueNode | undefined): string | undefined {
  return node?.kind === Kind.STRING ? node.value : undefined;
}
