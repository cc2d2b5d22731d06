import type { GraphQLError } from 'graphql';

/** One event of a subscription, as the executor produced it (errors not yet formatted for the client). */
export interface SubscriptionEvent {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** One part `@defer` delivers after the first payload, in the incremental delivery format (`deferSpec=20220824`). */
export interface DeferredPart {
  incremental?: ReadonlyArray<{
    data: Record<string, unknown> | null;
    path: ReadonlyArray<string | number>;
    label?: string;
    errors?: readonly GraphQLError[];
    extensions?: Record<string, unknown>;
  }>;
  hasNext: boolean;
}

/**
 * What an operation answers after its first result, handed from the executor to the transport
 * through the request's context (Apollo Server carries one result per request: the first).
 * `return()` on the iterator ends it early (client gone, gateway stopping) and frees what it
 * holds upstream.
 */
export type ResultStream =
  | { readonly kind: 'subscription'; readonly events: AsyncIterableIterator<SubscriptionEvent> }
  | { readonly kind: 'deferred'; readonly parts: AsyncIterableIterator<DeferredPart> };
