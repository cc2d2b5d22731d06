import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, fetch } from 'undici';
import { ErrorCode } from '../common/errorCodes.js';
import { Headers as HeaderNames } from '../common/headers.js';
import { signRequest } from '../common/signing/signRequest.js';
import type { GatewayContext } from './GatewayContext.js';
import { identityHeadersOf } from './subgraphRequests/identityHeadersOf.js';

export interface SubgraphDataSourceOptions {
  /** The subgraph's name in the supergraph; errors carry it as `extensions.serviceName`. */
  name: string;
  /** Where its requests go. */
  url: string;
  /** The deadline of one request, response body included. */
  timeoutMs: number;
  /** The most keep-alive connections opened to this subgraph. */
  maxConnections: number;
  /** Signs every request so the subgraph can tell it came from this gateway. */
  signingSecret: string;
  /** The client headers the header rules pass to this subgraph. */
  propagateHeaders: (incoming: Iterable<[string, string]>) => Record<string, string>;
  /** Claims sent besides subject and scopes. */
  forwardClaims: readonly string[];
  /** Send the client's raw `Authorization` header too. */
  forwardToken: boolean;
}

/** A data source that owns a connection pool, which `close` ends. */
export interface SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  close(): Promise<void>;
}

// Named through @apollo/gateway's own types rather than the packages it depends on.
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

// The incoming request's abort signal, for the fetcher: RemoteGraphQLDataSource calls the
// fetcher with a fixed set of options, so the signal travels alongside the call instead.
const incomingSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/**
 * How the gateway talks to one subgraph: over a keep-alive undici pool, with a deadline per
 * request, cancelled when the client goes away, forwarding the request id. Failures to get a
 * GraphQL answer become `SUBGRAPH_ERROR`s that name the subgraph; GraphQL errors the subgraph
 * returns are tagged with `serviceName` by @apollo/gateway itself.
 */
export function createSubgraphDataSource(options: SubgraphDataSourceOptions): SubgraphDataSource {
  const { name, url, timeoutMs } = options;
  const agent = new Agent({ connections: options.maxConnections });

  const fetcher: Fetcher = async (target, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const client = incomingSignal.getStore();
    // Signed here, over the exact bytes and headers that leave: nothing is added after this.
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const method = init?.method ?? 'POST';
    const body = typeof init?.body === 'string' ? init.body : '';
    const url = new URL(target);
    Object.assign(headers, signRequest(options.signingSecret, { method, path: url.pathname + url.search, body, headers }));
    const response = await fetch(target, {
      method,
      headers,
      body: init?.body,
      signal: client ? AbortSignal.any([deadline, client]) : deadline,
      dispatcher: agent,
    });
    return response satisfies FetcherResponse;
  };

  class Subgraph extends RemoteGraphQLDataSource<GatewayContext> implements SubgraphDataSource {
    override async process(processOptions: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
      // Only operations made for a client have the client's context (not health checks).
      const signal = 'incomingRequestContext' in processOptions ? processOptions.context.signal : undefined;
      try {
        return await incomingSignal.run(signal, () => super.process(processOptions));
      } catch (error) {
        throw toSubgraphError(error, name, timeoutMs);
      }
    }

    override willSendRequest(processOptions: GraphQLDataSourceProcessOptions<GatewayContext>): void {
      const headers = processOptions.request.http?.headers;
      if (!headers) return;
      const incoming = 'incomingRequestContext' in processOptions ? processOptions.incomingRequestContext.request.http?.headers : undefined;
      for (const [name, value] of Object.entries(options.propagateHeaders(incoming ?? []))) headers.set(name, value);
      const authorization = incoming?.get('authorization');
      if (options.forwardToken && authorization) headers.set('authorization', authorization);
      // Identity last, so that nothing above can set it.
      const { requestId, viewer } = processOptions.context;
      if (typeof requestId === 'string') headers.set(HeaderNames.requestId, requestId);
      for (const [name, value] of Object.entries(identityHeadersOf(viewer ?? null, options.forwardClaims))) headers.set(name, value);
    }

    close(): Promise<void> {
      return agent.close();
    }
  }

  return new Subgraph({ url, fetcher });
}

/** Why a call to a subgraph produced no GraphQL answer, as an error the client may see. */
function toSubgraphError(error: unknown, serviceName: string, timeoutMs: number): GraphQLError {
  const subgraph = `Subgraph "${serviceName}"`;
  if (error instanceof GraphQLError) {
    const status = statusOf(error);
    const code = error.extensions.code;
    // 401/403 from a subgraph keep the code RemoteGraphQLDataSource gave them.
    if (status !== undefined) {
      return new GraphQLError(`${subgraph} responded with HTTP ${status}`, {
        originalError: error,
        extensions: { code: code === ErrorCode.UNAUTHENTICATED || code === ErrorCode.FORBIDDEN ? code : ErrorCode.SUBGRAPH_ERROR, serviceName },
      });
    }
    if (typeof code === 'string') {
      return new GraphQLError(error.message, { originalError: error, extensions: { ...error.extensions, serviceName } });
    }
  }
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(describeFailure(cause, subgraph, timeoutMs), {
    originalError: cause,
    extensions: { code: ErrorCode.SUBGRAPH_ERROR, serviceName },
  });
}

/** A client-safe sentence for a failed call: what happened, never a stack or an address. */
function describeFailure(error: Error, subgraph: string, timeoutMs: number): string {
  if (error.name === 'TimeoutError') return `${subgraph} did not answer within ${timeoutMs} ms`;
  if (error.name === 'AbortError') return `The request to ${subgraph} was cancelled because the client went away`;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return `${subgraph} could not be reached${code ? ` (${code})` : ''}`;
  }
  return `${subgraph} did not send a valid GraphQL response`;
}

/** The HTTP status of a non-2xx subgraph response, as RemoteGraphQLDataSource records it. */
function statusOf(error: GraphQLError): number | undefined {
  const response = error.extensions.response as { status?: unknown } | undefined;
  return typeof response?.status === 'number' ? response.status : undefined;
}
