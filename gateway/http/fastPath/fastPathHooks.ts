import type { ApolloServerPlugin, GraphQLRequestExecutionListener, GraphQLRequestListener } from '@apollo/server';
import type { GatewayContext } from '../../GatewayContext.js';

/**
 * The request-listener hooks the fast path runs, in Apollo Server's order, for a single operation
 * whose document Apollo Server has already parsed and validated (a document-store hit).
 */
export const fastPathRequestHooks = [
  'didResolveSource',
  'didResolveOperation',
  'responseForOperation',
  'executionDidStart',
  'didEncounterErrors',
  'willSendResponse',
] as const satisfies readonly (keyof GraphQLRequestListener<GatewayContext>)[];

/**
 * The hooks Apollo Server itself never calls for such a request, so neither does the fast path:
 * parsing and validation (the document comes from Apollo Server's store), and incremental
 * delivery's (the fast path leaves `@defer` and subscriptions to Apollo Server).
 */
export const requestHooksNotCalledForStoredDocuments = [
  'parsingDidStart',
  'validationDidStart',
  'didEncounterSubsequentErrors',
  'willSendSubsequentPayload',
] as const satisfies readonly (keyof GraphQLRequestListener<GatewayContext>)[];

/** Server-level plugin hooks: the ones the fast path runs, and the ones that concern the server or requests it does not take. */
export const fastPathPluginHooks = [
  'requestDidStart',
  'unexpectedErrorProcessingRequest',
] as const satisfies readonly (keyof ApolloServerPlugin<GatewayContext>)[];
export const pluginHooksOutsideTheFastPath = [
  'serverWillStart',
  'startupDidFail',
  // Apollo Server calls them before a request reaches the pipeline (context, CSRF, malformed bodies): the fast path declines those requests.
  'contextCreationDidFail',
  'invalidRequestWasReceived',
] as const satisfies readonly (keyof ApolloServerPlugin<GatewayContext>)[];

/**
 * An execution listener's hooks: `executionDidEnd` the fast path runs; `willResolveField` Apollo
 * Server calls only from the schema's resolvers, which a gateway executor never runs with the
 * request's context (it sends the operation to the subgraphs), so with `gatewayExecutor` set
 * Apollo Server's path never calls it and neither does the fast path. The usage-reporting
 * plugin Apollo Server installs by itself (`APOLLO_KEY` + `APOLLO_GRAPH_REF`) returns one.
 */
export const fastPathExecutionHooks = ['executionDidEnd'] as const satisfies readonly (keyof GraphQLRequestExecutionListener<GatewayContext>)[];
export const executionHooksNotCalledWithAGatewayExecutor = [
  'willResolveField',
] as const satisfies readonly (keyof GraphQLRequestExecutionListener<GatewayContext>)[];

// Every hook Apollo Server's types name is in one of the lists above: an upgrade that adds one
// fails `tsc` here, so that no hook Apollo Server would call is skipped by the fast path. (Any
// other property of a listener Apollo Server ignores, and so does the fast path.)
type Unlisted<All, Listed> = Exclude<keyof All, Listed>;
const everyRequestHookListed: [
  Unlisted<GraphQLRequestListener<GatewayContext>, (typeof fastPathRequestHooks)[number] | (typeof requestHooksNotCalledForStoredDocuments)[number]>,
] extends [never]
  ? true
  : false = true;
const everyExecutionHookListed: [
  Unlisted<
    GraphQLRequestExecutionListener<GatewayContext>,
    (typeof fastPathExecutionHooks)[number] | (typeof executionHooksNotCalledWithAGatewayExecutor)[number]
  >,
] extends [never]
  ? true
  : false = true;
const everyPluginHookListed: [
  Unlisted<ApolloServerPlugin<GatewayContext>, (typeof fastPathPluginHooks)[number] | (typeof pluginHooksOutsideTheFastPath)[number]>,
] extends [never]
  ? true
  : false = true;
void [everyRequestHookListed, everyExecutionHookListed, everyPluginHookListed];

const knownRequestHooks: ReadonlySet<string> = new Set<string>([...fastPathRequestHooks, ...requestHooksNotCalledForStoredDocuments]);
// Apollo Server's markers on the plugins it installs itself.
const knownPluginHooks: ReadonlySet<string> = new Set<string>([
  ...fastPathPluginHooks,
  ...pluginHooksOutsideTheFastPath,
  '__internal_plugin_id__',
  '__internal_installed_implicitly__',
  '__is_disabled_plugin__',
]);

/** The hooks of `plugin` the fast path does not know: a plugin with any cannot run on it. */
export function unknownPluginHooks(plugin: object): string[] {
  return Object.keys(plugin).filter((name) => !knownPluginHooks.has(name));
}

/** The hooks of a request listener the fast path does not know. */
export function unknownRequestHooks(listener: object): string[] {
  return Object.keys(listener).filter((name) => !knownRequestHooks.has(name));
}
