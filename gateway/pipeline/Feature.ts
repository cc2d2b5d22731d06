import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin, HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { HttpError } from '../../common/http/HttpError.js';
import type { GatewayContext, Viewer } from '../GatewayContext.js';
import type { SupergraphSnapshot } from '../supergraph/SupergraphSnapshot.js';
import type { CancelSignal } from '../resilience/Cancellation.js';

/** One GraphQL request (GET or POST) on its way through the HTTP-layer steps to Apollo Server. */
export interface GraphQLExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly requestId: string;
  /** The `traceparent` of this request's gateway span, when it has one. */
  readonly traceparent: string | undefined;
  /** The client's address, through `rateLimit.trustedProxies`: whose share of the body budget and whose turn in admission. */
  readonly clientAddress: string;
  /** Aborted when the client goes away: what waits for it, and the subgraph calls made for it, stop. */
  readonly signal: CancelSignal;
  /** The caller: set by authentication (null: anonymous). */
  viewer: Viewer | null;
  /** The parsed JSON body of a POST, set by body reading; undefined for a GET. */
  body: unknown;
  /**
   * Set by a step that holds some answers on their way out (createClientRefusalHold): whether a
   * whole JSON answer with these errors is left unwritten, in the Outcome's `unwritten`, for that
   * step to write once the steps inside it (and their places) are done. Unset: written at once.
   */
  leaveUnwritten?: (errors: readonly ProducedError[]) => boolean;
  /** Set by admission for a request of one operation: see `GatewayContext.waitOutsideAdmission`. */
  waitOutsideAdmission?: (wait: () => Promise<void>) => Promise<void>;
}

/** An error the gateway produced for a request: an HTTP-layer refusal, or one Apollo Server reported to the plugins. */
export type ProducedError = HttpError | GraphQLError;

/** How a request ended, as the transport and the steps report it. */
export interface Outcome {
  status: number;
  /** Every error produced for it, as it was before Apollo Server formatted (and maybe masked) it. */
  errors?: readonly ProducedError[];
  /**
   * Apollo Server's JSON answer where it refused the request before its request pipeline ran (a
   * malformed GraphQL-over-HTTP request, such as CSRF prevention's): no plugin sees those errors.
   */
  unseenAnswer?: string;
  /** The answer, not yet written, where `GraphQLExchange.leaveUnwritten` asked for it: the step that asked writes it. */
  unwritten?: HTTPGraphQLResponse;
}

/** A request once answered (or abandoned by its client), for the `finish` hooks. */
export interface FinishedRequest extends Outcome {
  requestId: string;
  /** The request's trace, for GraphQL requests. */
  traceId?: string;
  method: string;
  path: string;
  durationMs: number;
}

type ApolloExecutor = Awaited<ReturnType<ApolloGateway['load']>>['executor'];

/**
 * How one operation is planned and run: Apollo Gateway's executor signature, plus the supergraph
 * snapshot it runs against (taken once as execution starts, so that every `execute` hook and the
 * plan see the same supergraph whatever loads meanwhile).
 */
export type OperationExecutor = (requestContext: Parameters<ApolloExecutor>[0], snapshot: SupergraphSnapshot) => ReturnType<ApolloExecutor>;

/**
 * One cross-cutting feature of the request path. Every hook is optional; `createFeatures` lists
 * the features in the order a request meets them, and each layer runs its hooks in that order.
 */
export interface Feature {
  /** Names it in the pipeline's order (and its test). */
  readonly name: string;
  /**
   * HTTP layer, as a GraphQL request arrives: before the transport checks its method, for every
   * request but a CORS preflight. Refuses by throwing an `HttpError`.
   */
  arrive?(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * HTTP layer, one step of a GET or POST on its way to Apollo Server. A step refuses by throwing
   * an `HttpError`, holds something until the request is done by calling `next` inside
   * try/finally, or takes the request over by answering it itself without calling `next` (as a
   * subscription transport would).
   */
  handle?(exchange: GraphQLExchange, next: () => Promise<Outcome>): Promise<Outcome>;
  /** Operation layer: an Apollo Server plugin, run in the features' order. */
  plugin?: ApolloServerPlugin<GatewayContext>;
  /** Operation layer, after every plugin has passed the operation: wraps how it is planned and run (authorization rewrites it first). */
  execute?(next: OperationExecutor): OperationExecutor;
  /** Once the request is answered or its client gone. */
  finish?(request: FinishedRequest): void;
  /** The gateway starts draining (synchronously, as /ready starts failing): stop holding requests back. */
  drain?(): void;
  /** Frees what it holds, when the gateway stops. */
  close?(): void | Promise<void>;
}
