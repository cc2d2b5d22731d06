import { hash } from 'node:crypto';
import {
  HeaderMap,
  type ApolloServer,
  type GraphQLRequest,
  type GraphQLRequestContext,
  type GraphQLRequestExecutionListener,
  type GraphQLRequestListener,
  type GraphQLResponse,
  type HTTPGraphQLHead,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import { BREAK, getOperationAST, visit, type DocumentNode, type FormattedExecutionResult, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../../GatewayContext.js';
import { unknownPluginHooks } from './fastPathHooks.js';
import { ensureError, ensureGraphQLError, formatErrorsLikeApollo, mergeHead } from './formatErrorsLikeApollo.js';
import { newCachePolicy } from './newCachePolicy.js';
import { readApolloInternals } from './readApolloInternals.js';
import { toGatewayRequestContext } from './toGatewayRequestContext.js';
import { asUserInputError } from './asUserInputError.js';
import { callEach } from './callEach.js';

/** Runs a request on the fast path when it can, else hands it to Apollo Server (`declined`). */
export type FastPath = (
  httpGraphQLRequest: HTTPGraphQLRequest,
  context: () => Promise<GatewayContext>,
  declined: () => Promise<HTTPGraphQLResponse>,
) => Promise<HTTPGraphQLResponse>;

// The bodies Apollo Server's CSRF prevention lets through without a preflight header: JSON.
const jsonContentTypes: ReadonlySet<string> = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const applicationJson = 'application/json; charset=utf-8';
const graphqlResponseJson = 'application/graphql-response+json; charset=utf-8';
// What Apollo Server's content negotiation (negotiator) chooses for the common `Accept` headers;
// any other one goes to Apollo Server, which negotiates it itself.
const contentTypeByAccept: ReadonlyMap<string, string> = new Map([
  ['*/*', applicationJson],
  ['application/json', applicationJson],
  ['application/graphql-response+json', graphqlResponseJson],
  ['application/graphql-response+json, application/json', graphqlResponseJson],
  ['application/graphql-response+json, application/json;q=0.9', graphqlResponseJson],
  ['application/graphql-response+json,application/json;q=0.9', graphqlResponseJson],
  ['application/json, application/graphql-response+json', applicationJson],
]);

/** A request the fast path takes: everything Apollo Server would have decided before its first plugin hook. */
interface Taken {
  request: GraphQLRequest;
  query: string;
  queryHash: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  schema: GraphQLRequestContext<GatewayContext>['schema'];
  contentType: string;
}

type Listener = GraphQLRequestListener<GatewayContext>;
type RequestContext = { -readonly [Key in keyof GraphQLRequestContext<GatewayContext>]: GraphQLRequestContext<GatewayContext>[Key] };

/**
 * Apollo Server's request pipeline (`executeHTTPGraphQLRequest` → `runHttpQuery` →
 * `processGraphQLRequest`, `@apollo/server` 5) for the one kind of request most traffic is: a
 * single operation in a JSON POST whose document Apollo Server has already parsed and validated.
 * It runs the same plugins (Apollo Server's own list), the same hooks in the same order with the
 * same request context, and the same executor, then formats and serialises the answer as Apollo
 * Server does; what it saves is the pipeline's own work (its promise per hook, closures, header
 * negotiation) and the garbage that work leaves for the young-generation collector. Anything else
 * goes to Apollo Server, decided before any hook runs: GET, batches, APQ and persisted-query ids,
 * a document not yet in Apollo Server's store (so every parse and validation error), an operation
 * name that names nothing, subscriptions, `@defer`, an unusual `Content-Type` or `Accept`.
 * `test/gateway/http/fastPathEquivalence.e2e.ts` sends every kind of request to a gateway with
 * and one without it and compares the answers byte for byte. `onRequest` hears, for each
 * request, whether the fast path took it (for those tests).
 */
export function createFastPath(apolloServer: ApolloServer<GatewayContext>, onRequest?: (taken: boolean) => void): FastPath {
  const apollo = readApolloInternals(apolloServer);
  const { internals } = apollo;
  // A plugin with a hook the fast path does not know turns it off, decided here rather than per
  // request: after `requestDidStart` has run, a request can no longer be handed to Apollo Server.
  for (const plugin of internals.plugins) {
    const unknown = unknownPluginHooks(plugin);
    if (unknown.length > 0) {
      apollo.logger.warn(`The fast path is off: it does not run the plugin hooks ${unknown.join(', ')} (add them to fastPathHooks.ts)`);
      return async (_http, _context, declined) => {
        onRequest?.(false);
        return declined();
      };
    }
  }
  const deferIn = new WeakMap<DocumentNode, boolean>();

  async function take(http: HTTPGraphQLRequest): Promise<Taken | null> {
    const derived = internals.state.phase === 'started' ? internals.state.schemaManager?.getSchemaDerivedData() : undefined;
    if (!derived?.documentStore || !internals.gatewayExecutor || http.method !== 'POST') return null;
    const body = http.body;
    if (!isRecord(body)) return null;
    const { query, operationName, variables, extensions } = body;
    if (typeof query !== 'string' || query === '') return null;
    if (operationName != null && typeof operationName !== 'string') return null;
    if (variables != null && !isRecord(variables)) return null;
    if (extensions != null && (!isRecord(extensions) || Object.hasOwn(extensions, 'persistedQuery'))) return null;
    const contentTypeHeader = http.headers.get('content-type');
    if (contentTypeHeader === undefined || !jsonContentTypes.has(contentTypeHeader.toLowerCase())) return null;
    const accept = http.headers.get('accept');
    const contentType = accept === undefined ? applicationJson : contentTypeByAccept.get(accept);
    if (contentType === undefined) return null;
    const queryHash = hash('sha256', query);
    let document: DocumentNode | undefined;
    try {
      document = await derived.documentStore.get(derived.documentStoreKeyPrefix + queryHash);
    } catch {
      return null;
    }
    if (!document) return null;
    const operation = getOperationAST(document, typeof operationName === 'string' ? operationName : undefined);
    if (!operation || operation.operation === 'subscription' || hasDefer(document)) return null;
    const request: GraphQLRequest = {
      query,
      operationName: typeof operationName === 'string' ? operationName : undefined,
      variables: isRecord(variables) ? variables : undefined,
      extensions: isRecord(extensions) ? extensions : undefined,
      http,
    };
    return { request, query, queryHash, document, operation, schema: derived.schema, contentType };
  }

  function hasDefer(document: DocumentNode): boolean {
    let found = deferIn.get(document);
    if (found === undefined) {
      found = false;
      visit(document, {
        Directive(node) {
          if (node.name.value !== 'defer') return undefined;
          found = true;
          return BREAK;
        },
      });
      deferIn.set(document, found);
    }
    return found;
  }

  /** `internalExecuteOperation` and the `catch` of `executeHTTPGraphQLRequest`. */
  async function run(taken: Taken, contextValue: GatewayContext): Promise<HTTPGraphQLResponse> {
    const requestContext = {
      logger: apollo.logger,
      cache: apollo.cache,
      schema: taken.schema,
      request: taken.request,
      response: { http: { status: undefined, headers: new HeaderMap() } },
      contextValue: Object.assign(Object.create(Object.getPrototypeOf(contextValue) as object | null) as GatewayContext, contextValue),
      metrics: {},
      overallCachePolicy: newCachePolicy(),
      requestIsBatched: false,
    } as RequestContext;
    try {
      let response: GraphQLResponse;
      try {
        response = await process(taken, requestContext);
      } catch (maybeError) {
        const error = ensureError(maybeError);
        await Promise.all(internals.plugins.map(async (plugin) => plugin.unexpectedErrorProcessingRequest?.({ requestContext, error })));
        apollo.logger.error(`Unexpected error processing request: ${error}`);
        throw new Error('Internal server error');
      }
      // `runHttpQuery`'s end for a single result.
      if (response.body.kind !== 'single') throw new Error('the fast path got an incremental result');
      if (!response.http.headers.get('content-type')) response.http.headers.set('content-type', taken.contentType);
      const { errors, data, extensions } = response.body.singleResult;
      const body = { kind: 'complete' as const, string: await internals.stringifyResult({ errors, data, extensions }) };
      return { status: response.http.status, headers: response.http.headers, body };
    } catch (error) {
      // `errorResponse`.
      const { formattedErrors, httpFromErrors } = formatErrorsLikeApollo([error], internals);
      return {
        status: httpFromErrors.status ?? 500,
        headers: new HeaderMap([...httpFromErrors.headers, ['content-type', taken.contentType]]),
        body: { kind: 'complete', string: await internals.stringifyResult({ errors: formattedErrors }) },
      };
    }
  }

  /** `processGraphQLRequest` from the document-store hit on, for an operation it resolved. */
  async function process(taken: Taken, requestContext: RequestContext): Promise<GraphQLResponse> {
    // A listener's hooks need no check here: fastPathHooks.ts lists every hook Apollo Server's
    // types name (tsc fails otherwise), and any other property Apollo Server ignores, as the fast path does.
    const started = await Promise.all(internals.plugins.map((plugin) => plugin.requestDidStart?.(requestContext)));
    const listeners = started.filter(isListener);
    if (requestContext.request.query !== taken.query || requestContext.request.extensions?.persistedQuery) {
      throw new Error('a plugin changed the query in requestDidStart: the fast path cannot run this request');
    }
    requestContext.metrics.persistedQueryHit = false;
    requestContext.metrics.persistedQueryRegister = false;
    requestContext.queryHash = taken.queryHash;
    requestContext.source = taken.query;
    // A stage no listener has a hook for is not awaited: an `await` of nothing still costs a
    // promise and a turn of the microtask queue (callEach returns undefined then).
    const resolvingSource = callEach(listeners, (listener) => listener.didResolveSource?.(requestContext as never));
    if (resolvingSource) await resolvingSource;
    requestContext.document = taken.document;
    requestContext.operation = taken.operation;
    requestContext.operationName = taken.operation.name?.value ?? null;

    const didEncounterErrors = (errors: readonly GraphQLError[]) => {
      requestContext.errors = errors;
      return callEach(listeners, (listener) => listener.didEncounterErrors?.(requestContext as never));
    };
    const willSendResponse = () => callEach(listeners, (listener) => listener.willSendResponse?.(requestContext as never));
    const sendErrorResponse = async (errors: readonly GraphQLError[]): Promise<GraphQLResponse> => {
      await didEncounterErrors(errors);
      const { formattedErrors, httpFromErrors } = formatErrorsLikeApollo(errors, internals);
      requestContext.response.body = { kind: 'single', singleResult: { errors: formattedErrors } };
      mergeHead(requestContext.response.http, httpFromErrors);
      if (!requestContext.response.http.status) requestContext.response.http.status = 500;
      await willSendResponse();
      return requestContext.response as GraphQLResponse;
    };

    try {
      const resolvingOperation = callEach(listeners, (listener) => listener.didResolveOperation?.(requestContext as never));
      if (resolvingOperation) await resolvingOperation;
    } catch (error) {
      return await sendErrorResponse([ensureGraphQLError(error)]);
    }
    let fromPlugin: GraphQLResponse | null = null;
    for (const listener of listeners) {
      const answering = listener.responseForOperation?.(requestContext as never);
      const value = answering === undefined ? undefined : await answering;
      if (value != null) {
        fromPlugin = value;
        break;
      }
    }
    if (fromPlugin !== null) {
      requestContext.response.body = fromPlugin.body;
      mergeHead(requestContext.response.http, fromPlugin.http);
    } else {
      const executionListeners = (await Promise.all(listeners.map((listener) => listener.executionDidStart?.(requestContext as never)))).filter(
        (listener): listener is GraphQLRequestExecutionListener<GatewayContext> => listener != null,
      );
      executionListeners.reverse();
      // `willResolveField` is not called: Apollo Server's path calls it only from the schema's
      // resolvers, which the gateway executor never runs with this context (fastPathHooks.ts).
      try {
        const execute = internals.gatewayExecutor;
        if (!execute) throw new Error('Apollo Server has no gateway executor');
        const result = await execute(toGatewayRequestContext(requestContext as never, apollo));
        const resultErrors = result.errors?.map((error) => asUserInputError(error));
        if (resultErrors) await didEncounterErrors(resultErrors);
        const { formattedErrors, httpFromErrors } = resultErrors
          ? formatErrorsLikeApollo(resultErrors, internals)
          : { formattedErrors: undefined, httpFromErrors: { status: undefined, headers: new HeaderMap() } as HTTPGraphQLHead };
        if (internals.status400ForVariableCoercionErrors && resultErrors?.length && result.data === undefined && !httpFromErrors.status) {
          httpFromErrors.status = 400;
        }
        mergeHead(requestContext.response.http, httpFromErrors);
        const executed = result as FormattedExecutionResult;
        requestContext.response.body = { kind: 'single', singleResult: { data: executed.data, errors: formattedErrors, extensions: executed.extensions } };
      } catch (maybeError) {
        const error = ensureError(maybeError);
        await callEach(executionListeners, (listener) => listener.executionDidEnd?.(error));
        return await sendErrorResponse([ensureGraphQLError(error)]);
      }
      const ending = callEach(executionListeners, (listener) => listener.executionDidEnd?.());
      if (ending) await ending;
    }
    const sending = willSendResponse();
    if (sending) await sending;
    if (!requestContext.response.body) throw new Error('got to end of processGraphQLRequest without setting body?');
    return requestContext.response as GraphQLResponse;
  }

  return async (http, context, declined) => {
    const taken = await take(http);
    onRequest?.(taken !== null);
    if (taken === null) return declined();
    return run(taken, await context());
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isListener(listener: unknown): listener is Listener {
  return listener != null;
}
