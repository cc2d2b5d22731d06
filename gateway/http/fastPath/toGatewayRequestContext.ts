import type { GraphQLRequestContextExecutionDidStart, HeaderMap, HTTPGraphQLHead } from '@apollo/server';
import type { GatewayContext } from '../../GatewayContext.js';
import type { ApolloView } from './readApolloInternals.js';

/**
 * What Apollo Server hands its gateway's executor: `makeGatewayGraphQLRequestContext`
 * (`@apollo/server` 5), which it does not export, field for field, so that the executor and the
 * features' `execute` hooks see the same request on both paths.
 */
export function toGatewayRequestContext(requestContext: GraphQLRequestContextExecutionDidStart<GatewayContext>, apollo: ApolloView) {
  const { request } = requestContext;
  const http = request.http;
  const needQuestion = http !== undefined && http.search !== '' && !http.search.startsWith('?');
  const responseHead = requestContext.response.http;
  return {
    request: {
      query: request.query,
      operationName: request.operationName,
      variables: request.variables,
      extensions: request.extensions,
      ...(http
        ? {
            http: { method: http.method, url: `https://unknown-url.invalid/${needQuestion ? '?' : ''}${http.search}`, headers: new HeadersOfMap(http.headers) },
          }
        : {}),
    },
    response: { http: new ResponseHeadOf(responseHead) },
    logger: apollo.logger,
    schema: requestContext.schema,
    schemaHash: 'schemaHash no longer exists since Apollo Server 4',
    context: requestContext.contextValue,
    cache: apollo.cache,
    queryHash: requestContext.queryHash,
    document: requestContext.document,
    source: requestContext.source,
    operationName: requestContext.operationName,
    operation: requestContext.operation,
    errors: requestContext.errors,
    metrics: requestContext.metrics,
    debug: apollo.internals.includeStacktraceInErrorResponses,
    overallCachePolicy: requestContext.overallCachePolicy,
    requestIsBatched: requestContext.requestIsBatched,
  };
}

/**
 * The response's head as the executor sees it: its status read and written through to Apollo
 * Server's. A class, not an object literal with a getter and a setter: such a literal gets a
 * hidden class of its own at every evaluation, which V8's young-generation collector keeps alive
 * with all it reaches (the request's whole answer) until the next full collection.
 */
class ResponseHeadOf {
  readonly headers: HeadersOfMap;
  readonly #head: HTTPGraphQLHead;
  constructor(head: HTTPGraphQLHead) {
    this.#head = head;
    this.headers = new HeadersOfMap(head.headers);
  }
  get status(): number | undefined {
    return this.#head.status;
  }
  set status(status: number | undefined) {
    this.#head.status = status;
  }
}

/** Apollo Server's `FetcherHeadersForHeaderMap`: Fetch-style headers over its HeaderMap. */
class HeadersOfMap {
  readonly #map: HeaderMap;
  constructor(map: HeaderMap) {
    this.#map = map;
  }
  append(name: string, value: string): void {
    const present = this.#map.get(name);
    this.#map.set(name, present === undefined ? value : `${present}, ${value}`);
  }
  delete(name: string): void {
    this.#map.delete(name);
  }
  get(name: string): string | null {
    return this.#map.get(name) ?? null;
  }
  has(name: string): boolean {
    return this.#map.has(name);
  }
  set(name: string, value: string): void {
    this.#map.set(name, value);
  }
  entries(): Iterator<[string, string]> {
    return this.#map.entries();
  }
  keys(): Iterator<string> {
    return this.#map.keys();
  }
  values(): Iterator<string> {
    return this.#map.values();
  }
  [Symbol.iterator](): Iterator<[string, string]> {
    return this.#map.entries();
  }
}
