import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeServices } from '@apollo/composition';
import { type GraphQLError, parse, Source, type ASTNode, type DocumentNode } from 'graphql';
import type { SupergraphConfig } from './readSupergraphConfig.js';

/** One composition problem, ready to print. */
export interface CompositionProblem {
  code: string;
  message: string;
  /** `file:line:column (subgraph NAME)` for each place involved. */
  locations: string[];
}

export type CompositionResult = { ok: true; supergraphSdl: string; hints: CompositionProblem[] } | { ok: false; errors: CompositionProblem[] };

/** Composes the listed subgraphs' SDL files into a supergraph, or says precisely why not. */
export function composeSupergraph(config: SupergraphConfig): CompositionResult {
  const services: Array<{ name: string; url: string; typeDefs: DocumentNode }> = [];
  const errors: CompositionProblem[] = [];
  for (const subgraph of config.subgraphs) {
    const path = relative(process.cwd(), subgraph.schemaFile);
    let text: string;
    try {
      text = readFileSync(subgraph.schemaFile, 'utf8');
    } catch {
      errors.push({ code: 'SDL_FILE_MISSING', message: `Subgraph "${subgraph.name}": cannot read ${path}.`, locations: [] });
      continue;
    }
    try {
      services.push({ name: subgraph.name, url: subgraph.routingUrl, typeDefs: parse(new Source(text, path)) });
    } catch (error) {
      errors.push(problemOf(error as GraphQLError, 'INVALID_GRAPHQL', subgraph.name));
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => problemOf(error, 'COMPOSITION_ERROR')) };
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((hint) => ({
      code: hint.definition.code,
      message: hint.message,
      locations: (hint.nodes ?? []).map((node) => locationOf(node, undefined)),
    })),
  };
}

function problemOf(error: GraphQLError, fallbackCode: string, subgraph?: string): CompositionProblem {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : fallbackCode;
  const locations =
    error.nodes && error.nodes.length > 0
      ? error.nodes.map((node) => locationOf(node, subgraph))
      : (error.locations ?? []).map(({ line, column }) => `${error.source?.name ?? '?'}:${line}:${column}${subgraph ? ` (subgraph ${subgraph})` : ''}`);
  return { code, message: error.message, locations };
}

// Composition marks its nodes with the subgraph they came from; plain graphql-js nodes do not.
function locationOf(node: ASTNode & { subgraph?: string }, subgraph: string | undefined): string {
  const name = node.subgraph ?? subgraph;
  const where = node.loc ? `${node.loc.source.name}:${node.loc.startToken.line}:${node.loc.startToken.column}` : '(no location)';
  return name ? `${where} (subgraph ${name})` : where;
}

/** Problems as a person reads them: one block each, code first, then every place. */
export function formatProblems(kind: 'error' | 'hint', problems: CompositionProblem[]): string {
  return problems.map((problem) => [`${kind}[${problem.code}]: ${problem.message}`, ...problem.locations.map((at) => `  --> ${at}`)].join('\n')).join('\n\n');
}
