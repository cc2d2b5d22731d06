import type { Supergraph } from '@apollo/federation-internals';
import type { QueryPlanner } from '@apollo/query-planner';
import { Kind, type DefinitionNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { AuthorizationRules } from '../authorization/AuthorizationRules.js';
import { readAuthorizationRules } from '../authorization/readAuthorizationRules.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { TypeMatcher } from '../execution/compileRequires.js';
import type { PlanCache } from '../execution/createPlanCache.js';
import type { PreparedPlan } from '../execution/preparePlan.js';
import { exampleOperation, type ExampleExplorer } from '../landingPage/exampleOperation.js';
import { readCostDirectives, type CostDirectives } from '../traffic/readCostDirectives.js';
import { routeSubgraphs, type SupergraphSubgraph } from './routeSubgraphs.js';
import type { ServedByApolloGateway } from './servedByApolloGateway.js';

export type { SupergraphSubgraph } from './routeSubgraphs.js';

/**
 * Everything the gateway derives from one loaded supergraph, computed once per load from what
 * Apollo Gateway parsed and built, and swapped in one assignment: a request reads one snapshot
 * from start to end, so what it plans with, authorizes with and costs with always agree.
 */
export interface SupergraphSnapshot {
  /** Apollo Gateway's query planner for this supergraph. */
  readonly planner: QueryPlanner;
  /** The supergraph it plans over. */
  readonly supergraph: Supergraph;
  /** The API schema, as Apollo Server validates operations against it. */
  readonly apiSchema: GraphQLSchema;
  /** Every subgraph, with the URL the gateway sends its requests to (config's override applied). */
  readonly subgraphs: readonly SupergraphSubgraph[];
  /** `@authenticated`, `@requiresScopes` and `@policy`, by coordinate. */
  readonly authorizationRules: AuthorizationRules;
  /** `@cost` and `@listSize`, by coordinate. */
  readonly costDirectives: CostDirectives;
  /** Type-condition matching over the supergraph's types. */
  readonly matches: TypeMatcher;
  /** Type names as the API schema's type map keys them: the interned, one-byte copies (see `createNameInterner`). */
  readonly typeNames: ReadonlyMap<string, string>;
  /** The operation each explorer opens with. */
  readonly examples: Readonly<Record<ExampleExplorer, string>>;
  /** Prepared plans for this supergraph only: a load starts with an empty one. */
  readonly planCache: PlanCache<PreparedPlan>;
}

export interface SupergraphSnapshotInputs {
  /** Apollo Gateway's planner and supergraph, as it just loaded them. */
  served: ServedByApolloGateway;
  /** The API schema Apollo Gateway hands its `onSchemaLoadOrUpdate` listeners. */
  apiSchema: GraphQLSchema;
  config: Pick<GatewayConfig, 'subgraphs' | 'headers' | 'supergraph' | 'mode'>;
  /** An empty plan cache for this supergraph. */
  planCache: PlanCache<PreparedPlan>;
}

/**
 * The snapshot of a supergraph Apollo Gateway loaded. Reads its directives from the graphql-js
 * supergraph schema Apollo Gateway already built, never from the SDL text. Throws `ConfigError`
 * when config names a subgraph the supergraph lacks.
 */
export function buildSupergraphSnapshot({ served, apiSchema, config, planCache }: SupergraphSnapshotInputs): SupergraphSnapshot {
  const { planner, supergraph, supergraphSchema } = served;
  const document = documentOf(supergraphSchema);
  return Object.freeze({
    planner,
    supergraph,
    apiSchema,
    subgraphs: Object.freeze(routeSubgraphs(config, supergraph.subgraphsMetadata())),
    authorizationRules: readAuthorizationRules(document),
    costDirectives: readCostDirectives(document),
    matches: typeMatcher(supergraph),
    // A key of the type map is the interned copy of the name, where `type.name` may be a two-byte slice.
    typeNames: new Map(Object.keys(apiSchema.getTypeMap()).map((name) => [name, name])),
    examples: Object.freeze({
      sandbox: exampleOperation(supergraphSchema, 'sandbox', config.mode),
      graphiql: exampleOperation(supergraphSchema, 'graphiql', config.mode),
    }),
    planCache,
  });
}

/** The definitions a schema was built from, as one document (graphql-js keeps each one's AST node). */
function documentOf(schema: GraphQLSchema): DocumentNode {
  const definitions: DefinitionNode[] = [];
  if (schema.astNode) definitions.push(schema.astNode);
  definitions.push(...schema.extensionASTNodes);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.astNode) definitions.push(type.astNode);
    definitions.push(...type.extensionASTNodes);
  }
  return { kind: Kind.DOCUMENT, definitions };
}

/** Type-condition matching over the supergraph's types: a type matches itself and its supertypes. */
function typeMatcher(supergraph: Supergraph): TypeMatcher {
  const subtypes = new Map<string, Set<string>>();
  for (const type of supergraph.schema.types()) {
    if (type.kind === 'UnionType') subtypes.set(type.name, new Set(type.types().map((member) => member.name)));
    if (type.kind === 'InterfaceType') subtypes.set(type.name, new Set(type.allImplementations().map((implementation) => implementation.name)));
  }
  return (condition, typename) => typeof typename === 'string' && (condition === typename || (subtypes.get(condition)?.has(typename) ?? false));
}
