import type { FetchNode } from '@apollo/query-planner';
import type { Tracer } from '@opentelemetry/api';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { SubscriptionEvent } from '../streaming/ResultStream.js';
import type { SubgraphCaller } from '../subgraphRequests/createSubgraphClient.js';
import { createResultGroup, type ResultGroup, type RunEvent } from './createResultGroup.js';
import { createUpstreamHub, type ReconnectPolicy } from './createUpstreamHub.js';
import type { OpenUpstream } from './OpenUpstream.js';
import { tokenExpiryOf } from './tokenExpiryOf.js';

export interface SubscriptionsOptions {
  /** Where a subgraph of the supergraph served now takes requests; undefined for an unknown one. */
  urlOf: (subgraph: string) => string | undefined;
  /** What a subgraph is told of the caller, as for its fetches (see createCallerHeaders). */
  callerHeadersOf: (subgraph: string, caller: SubgraphCaller) => Readonly<Record<string, string>>;
  /**
   * What every subgraph is told of the caller, as one string: callers with equal keys get equal
   * answers from every subgraph, so they may share each event's result. By default the primary
   * subgraph's caller headers (right when every subgraph is told the same).
   */
  callerKeyOf?: (caller: SubgraphCaller) => string;
  /** How a subgraph's subscriptions are opened (its `subscriptionTransport`). */
  openerOf: (subgraph: string) => OpenUpstream;
  signingSecret: string;
  /** The time each event's entity fetches get, counted from the event (`server.requestTimeoutMs`). @default 60000 */
  requestTimeoutMs?: number;
  /** Subscriptions active at once; one more is refused with 503 `OVERLOADED`. @default unlimited */
  maxSubscriptions?: number;
  /** Subscriptions active at once from one client address; one more is refused with 429 `RATE_LIMITED`. @default unlimited */
  maxSubscriptionsPerAddress?: number;
  /** Upstream subscriptions open at once; one that needs one more is refused with 503 `OVERLOADED`. @default unlimited */
  maxUpstreams?: number;
  /** The client's address (through trusted proxies), which `maxSubscriptionsPerAddress` counts by. */
  addressOf?: (caller: SubgraphCaller) => string;
  /** @default 100 */
  queueLimit?: number;
  /** @default { attempts: 5, initialDelayMs: 250, maxDelayMs: 5000 } */
  reconnect?: ReconnectPolicy;
  /** With tracing on: a span per event. */
  tracer?: Tracer;
  /** Told when a subgraph accepts an upstream, and when one fails for the subgraph's fault (its circuit breaker's business). */
  onUpstreamHealth?: (subgraph: string, healthy: boolean) => void;
  /** Told of each event in (with the clients it fans out to) and out, and each reconnect. */
  observer?: SubscriptionObserver;
}

export interface SubscriptionObserver {
  eventIn(clients: number): void;
  eventOut(): void;
  reconnect(subgraph: string): void;
}

/** One subscription to start, as the executor has planned it. */
export interface SubscriptionStart {
  /** The plan's primary fetch, opened upstream. */
  primary: FetchNode;
  /** The client's variables, as sent (the primary fetch is sent those it uses). */
  variables: Readonly<Record<string, unknown>>;
  caller: SubgraphCaller;
  /** The operation as executed, revalidated when the supergraph changes. */
  document: DocumentNode;
  /** Names the operation as executed (its query hash and operation name): equal for equal operations. */
  operationKey: string;
  /** The supergraph the operation was planned against (by identity): clients share a result only within one. */
  supergraph: object;
  /**
   * Runs the rest of the plan from one event's data, and shapes it as a query's result, on
   * behalf of `caller` (the subscription's caller with a signal and deadline of the event's).
   */
  runEvent: RunEvent;
}

export interface Subscriptions {
  /** Opens (or shares) the upstream and sets `context.stream`; answers Apollo Server's first result. */
  start(subscription: SubscriptionStart): { errors?: readonly GraphQLError[] };
  /** After a supergraph reload: ends each subscription whose operation does not validate against `schema`. */
  revalidate(schema: GraphQLSchema): void;
  /** Subscriptions being delivered now. */
  active(): number;
  /** Upstream subscriptions open now (fan-out is `active / upstreams`). */
  upstreams(): number;
  /** Ends every subscription (`GATEWAY_STOPPING`) and closes every upstream. */
  close(): void;
}

// Events of one group being resolved at once: enough to keep up with a fast upstream while each
// event's entity fetches take a second or more (a loaded subgraph), few enough that a slower one
// backs up into the bounded upstream queue, not into memory or into more load on the subgraphs.
const MAX_RUNNING_PER_GROUP = 32;

/**
 * The gateway's subscriptions: each one's primary fetch opened upstream through the shared hub;
 * the clients that would get the same events (see createResultGroup) form one group, for which
 * each event is run through the rest of the plan (entity fetches to other subgraphs, as a
 * query's), shaped and patched once, then fanned out; each client reads its own bounded queue
 * through `context.stream`. A subscription ends when its client leaves, its upstream ends, the
 * caller's token expires (`UNAUTHENTICATED`), a reload makes it invalid
 * (`SUBSCRIPTION_SCHEMA_CHANGED`) or the gateway stops (`GATEWAY_STOPPING`).
 */
export function createSubscriptions(options: SubscriptionsOptions): Subscriptions {
  const groups = new Map<string, ResultGroup>();
  // Supergraphs by identity, numbered as first seen: part of a group's key (see SubscriptionStart.supergraph).
  const supergraphs = new WeakMap<object, number>();
  let supergraphCount = 0;
  let active = 0;
  // Active subscriptions per client address; an address leaves the map with its last one.
  const perAddress = new Map<string, number>();
  const maxSubscriptions = options.maxSubscriptions ?? Number.POSITIVE_INFINITY;
  const maxPerAddress = options.maxSubscriptionsPerAddress ?? Number.POSITIVE_INFINITY;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const queueLimit = options.queueLimit ?? 100;
  let stopping = false;
  const { observer, tracer } = options;
  const hub = createUpstreamHub({
    openerOf: options.openerOf,
    queueLimit,
    ...(options.maxUpstreams !== undefined ? { maxUpstreams: options.maxUpstreams } : {}),
    reconnect: options.reconnect ?? { attempts: 5, initialDelayMs: 250, maxDelayMs: 5000 },
    ...(options.onUpstreamHealth ? { onHealth: options.onUpstreamHealth } : {}),
    // After a reload that moved the subgraph, a subscription that still validates stays on its
    // upstream until it ends; if that drops, it reconnects where the subgraph is now.
    urlOf: options.urlOf,
    ...(observer ? { onEvent: (clients: number) => observer.eventIn(clients), onReconnect: (subgraph: string) => observer.reconnect(subgraph) } : {}),
  });

  /** The group `subscription` belongs in, made (and its share of an upstream joined) if need be; undefined past `maxUpstreams`. */
  const groupFor = (subscription: SubscriptionStart, subgraph: string, url: string): ResultGroup | undefined => {
    const { primary, caller } = subscription;
    const patch = (caller.context as GatewayContext).subscriptionPatch;
    let generation = supergraphs.get(subscription.supergraph);
    if (generation === undefined) supergraphs.set(subscription.supergraph, (generation = ++supergraphCount));
    const headers = options.callerHeadersOf(subgraph, caller);
    // Everything the finished event depends on: the same key, the same event for every client.
    const key = JSON.stringify([
      generation,
      subgraph,
      url,
      subscription.operationKey,
      subscription.variables,
      options.callerKeyOf ? options.callerKeyOf(caller) : headers,
      patch?.key ?? null,
    ]);
    const existing = groups.get(key);
    if (existing) return existing;
    const variables: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const name of primary.variableUsages ?? []) {
      if (Object.hasOwn(subscription.variables, name) && subscription.variables[name] !== undefined) variables[name] = subscription.variables[name];
    }
    let group: ResultGroup | undefined;
    const upstream = hub.join(
      {
        subgraph,
        url,
        request: { query: primary.operation, operationName: primary.operationName, variables: { ...variables } },
        headers,
        requestId: caller.context.requestId,
        signingSecret: options.signingSecret,
      },
      () => group?.size ?? 0,
    );
    if (!upstream) return undefined;
    const { context } = caller;
    group = createResultGroup({
      subgraph,
      document: subscription.document,
      upstream,
      run: subscription.runEvent,
      patch,
      // Only what fetches read of the first client's context: nothing of its request is held.
      caller: {
        context: {
          requestId: context.requestId,
          signal: context.signal,
          deadlineAt: context.deadlineAt,
          clientAddress: context.clientAddress,
          viewer: context.viewer,
          ...(context.traceparent !== undefined ? { traceparent: context.traceparent } : {}),
        },
        clientHeaders: caller.clientHeaders,
      },
      requestTimeoutMs,
      queueLimit,
      maxRunning: MAX_RUNNING_PER_GROUP,
      tracer,
      onGone: () => {
        if (groups.get(key) === group) groups.delete(key);
      },
    });
    groups.set(key, group);
    return group;
  };

  /**
   * A client's queue in `group`, counted against its address until it leaves and ended when its
   * token expires. Made apart from `start` so that what a waiting client holds (its queue, its
   * address, the timer of its token) holds nothing of its request.
   */
  const countOut = observer ? () => observer.eventOut() : undefined;
  const join = (group: ResultGroup, context: GatewayContext, address: string): AsyncIterableIterator<SubscriptionEvent> => {
    let cancelExpiry = () => {};
    const queue = group.join(() => {
      active -= 1;
      cancelExpiry();
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    }, countOut);
    cancelExpiry = expiryTimer(context, () => queue.end({ errors: [expired()] }));
    return queue;
  };

  return {
    start(subscription) {
      const { primary, caller } = subscription;
      if (stopping) return { errors: [stoppingError({ http: { status: 503 } })] };
      const subgraph = primary.serviceName;
      const url = options.urlOf(subgraph);
      if (url === undefined)
        return { errors: [new GraphQLError(`Couldn't find service with name "${subgraph}"`, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })] };
      // The limits are checked before anything is joined or opened.
      if (active >= maxSubscriptions) return { errors: [overloaded('subscriptions')] };
      const address = options.addressOf?.(caller) ?? caller.context.clientAddress;
      const fromAddress = perAddress.get(address) ?? 0;
      if (fromAddress >= maxPerAddress) return { errors: [tooManyFromAddress()] };
      const group = groupFor(subscription, subgraph, url);
      if (!group) return { errors: [overloaded('upstream subscriptions')] };
      active += 1;
      perAddress.set(address, fromAddress + 1);
      (caller.context as GatewayContext).stream = { kind: 'subscription', events: join(group, caller.context, address) };
      return {};
    },
    revalidate(schema) {
      for (const group of [...groups.values()]) {
        const errors = validate(schema, group.document);
        if (errors.length === 0) continue;
        group.end(
          new GraphQLError(`The subscription ended: the supergraph changed and it is no longer valid (${errors[0]!.message})`, {
            extensions: { code: ErrorCode.SUBSCRIPTION_SCHEMA_CHANGED },
          }),
        );
      }
    },
    active: () => active,
    upstreams: () => hub.upstreams(),
    close() {
      stopping = true;
      const final = stoppingError({});
      for (const group of [...groups.values()]) group.end(final);
      hub.close(final);
    },
  };
}

// setTimeout holds at most about 24.8 days; a token valid longer is looked at again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ends the subscription when the caller's token expires (never for an anonymous caller or a token without expiry); answers the cancel. */
function expiryTimer(context: GatewayContext, onExpiry: () => void): () => void {
  const expiresAt = tokenExpiryOf(context.viewer);
  if (expiresAt === undefined) return () => {};
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(onExpiry, Math.max(0, left));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** `GATEWAY_STOPPING`; with an HTTP status only for Apollo Server's first result (it takes it out of the body). */
function stoppingError(status: { http?: { status: number } }): GraphQLError {
  return new GraphQLError('The subscription ended: the gateway is stopping; subscribe again', { extensions: { code: ErrorCode.GATEWAY_STOPPING, ...status } });
}

/** A gateway-wide limit reached: 503 `OVERLOADED` (the status for Apollo Server's first result). */
function overloaded(what: string): GraphQLError {
  return new GraphQLError(`Too many ${what} are open on the gateway; try again later`, {
    extensions: { code: ErrorCode.OVERLOADED, http: { status: 503 } },
  });
}

/** One client address's limit reached: 429 `RATE_LIMITED`. */
function tooManyFromAddress(): GraphQLError {
  return new GraphQLError('Too many subscriptions are open from this client address', {
    extensions: { code: ErrorCode.RATE_LIMITED, http: { status: 429 } },
  });
}

function expired(): GraphQLError {
  return new GraphQLError('The subscription ended: the token expired; subscribe again with a fresh token', {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });
}
