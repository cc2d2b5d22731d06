import type { ApolloServer, ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { DocumentNode, ExecutionResult, FormattedExecutionResult, GraphQLFormattedError, GraphQLSchema, ParseOptions } from 'graphql';
import type { GatewayContext } from '../../GatewayContext.js';

/** Apollo Server's cache of validated documents, by `documentStoreKeyPrefix` + query hash. */
interface DocumentStore {
  get(key: string): Promise<DocumentNode | undefined>;
}

/** What the fast path reads of a started Apollo Server (`@apollo/server` 5, its private `internals`). */
export interface ApolloInternals {
  /** Every plugin Apollo Server runs, its implicit ones included, in its order. */
  plugins: ApolloServerPlugin<GatewayContext>[];
  formatError?: (formattedError: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  includeStacktraceInErrorResponses?: boolean;
  status400ForVariableCoercionErrors?: boolean;
  stringifyResult: (value: FormattedExecutionResult) => string | Promise<string>;
  /** Apollo Gateway's executor as Apollo Server calls it (Portico's, inside the features' `execute` hooks). */
  gatewayExecutor: ((requestContext: unknown) => Promise<ExecutionResult>) | null;
  parseOptions?: ParseOptions;
  state: {
    phase: string;
    schemaManager?: { getSchemaDerivedData(): { schema: GraphQLSchema; documentStore: DocumentStore | null; documentStoreKeyPrefix: string } };
  };
}

/** The parts of an Apollo Server the fast path uses besides its internals. */
export interface ApolloView {
  internals: ApolloInternals;
  logger: GraphQLRequestContext<GatewayContext>['logger'];
  cache: GraphQLRequestContext<GatewayContext>['cache'];
}

/**
 * Apollo Server keeps what its request pipeline runs with (the plugins, `formatError`, the
 * document store, the gateway's executor) in a private field. The fast path runs the same
 * things, so it reads them from there rather than keeping copies that could drift; the shape is
 * checked once, so that an Apollo Server upgrade that moves them fails the gateway's start (and
 * every fast-path test) instead of answering differently.
 */
export function readApolloInternals(apollo: ApolloServer<GatewayContext>): ApolloView {
  const view = apollo as unknown as { internals?: Partial<ApolloInternals>; logger: ApolloView['logger']; cache: ApolloView['cache'] };
  const internals = view.internals;
  const problems: string[] = [];
  if (typeof internals !== 'object' || internals === null) problems.push('no internals');
  else {
    if (!Array.isArray(internals.plugins)) problems.push('internals.plugins is not a list');
    if (typeof internals.stringifyResult !== 'function') problems.push('internals.stringifyResult is not a function');
    if (typeof internals.state !== 'object' || internals.state === null || typeof internals.state.phase !== 'string')
      problems.push('internals.state.phase is missing');
    if (internals.formatError !== undefined && typeof internals.formatError !== 'function') problems.push('internals.formatError is not a function');
  }
  if (problems.length > 0) {
    throw new Error(`The fast path does not know this Apollo Server's internals (${problems.join('; ')}): check it against @apollo/server's requestPipeline`);
  }
  return { internals: internals as ApolloInternals, logger: view.logger, cache: view.cache };
}
