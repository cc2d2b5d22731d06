// One type for the gateway and the subgraphs: the identity header carries it from one to the other.
import type { Viewer } from '../common/Viewer.js';
import type { GraphQLError } from 'graphql';
import type { ResultStream } from './streaming/ResultStream.js';
import type { EventPatch } from './subscriptions/EventPatch.js';
import type { CancelSignal } from './resilience/Cancellation.js';

export type { Viewer };

/** The per-request context every gateway plugin and the subgraph data sources see. */
export interface GatewayContext {
  /** This request's id: the client's `x-request-id` when it is sane, else a fresh UUID. */
  requestId: string;
  /** Aborted when the client goes away, so subgraph calls made for it stop too. */
  signal: CancelSignal;
  /** When the gateway gives up on this request (epoch ms): subgraph calls end by then. */
  deadlineAt: number;
  /** The TCP peer's address (a proxy's, behind one); rate limiting resolves the client from it. */
  clientAddress: string;
  /** The authenticated caller; null for an anonymous request. */
  viewer: Viewer | null;
  /**
   * The W3C `traceparent` naming this request's gateway span, sent to subgraphs when no
   * recorded span (Apollo Gateway's fetch span, with tracing on) is active.
   */
  traceparent?: string;
  /**
   * Whether the transport can deliver a deferred operation's later parts (WebSocket, SSE,
   * `multipart/mixed` with `deferSpec`): without it `@defer`red parts are merged into one answer.
   */
  acceptsStream?: boolean;
  /**
   * Whether the transport can deliver a subscription's events (WebSocket, SSE, multipart with
   * `subscriptionSpec`): without it a subscription is refused (406) before anything is opened.
   */
  acceptsEvents?: boolean;
  /** Set by the executor when the operation answers more than once: the transport delivers it after the first result. */
  stream?: ResultStream;
  /** Set before execution by a feature that changes every event of a subscription (authorization): applied once per event and group of clients. */
  subscriptionPatch?: EventPatch;
  /**
   * Runs `wait` with the request's admission slot given back, then waits for a slot again (in its
   * client's turn; rejects as admission refuses, or when the client goes away): how an operation
   * waits for its turn under rate-limit pacing without holding the gateway's capacity. Unset
   * where the slot cannot be given back (a batch, whose other operations hold it).
   */
  waitOutsideAdmission?: (wait: () => Promise<void>) => Promise<void>;
  /** Where the pipeline records the errors Apollo Server reports for this request (see createErrorRecorder). */
  recordedErrors?: GraphQLError[];
}
