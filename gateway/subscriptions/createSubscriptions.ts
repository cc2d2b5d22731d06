import type { FetchNode } from '@apollo/query-planner';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { ResultObject } from '../execution/collectEntities.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { SubscriptionEvent } from '../streaming/ResultStream.js';
import type { SubgraphCaller } from '../subgraphRequests/createSubgraphClient.js';
import { createUpstreamHub, type ReconnectPolicy, type UpstreamItem } from './createUpstreamHub.js';
import type { EventQueue } from './createEventQueue.js';
import type { OpenUpstream } from './OpenUpstream.js';
import { tokenExpiryOf } from './tokenExpiryOf.js';

export interface SubscriptionsOptions {
  /** Where a subgraph of the supergraph served now takes requests; undefined for an unknown one. */
  urlOf: (subgraph: string) => string | undefined;
  /** What a subgraph is told of the caller, as for its fetches (see createCallerHeaders). */
  callerHeadersOf: (subgraph: string, caller: SubgraphCaller) => Readonly<Record<string, string>>;
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
  /** Runs the rest of the plan from one event's data, and shapes it as a query's result. */
  runEvent(data: ResultObject, upstreamErrors: readonly GraphQLError[]): Promise<SubscriptionEvent>;
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

interface Session {
  document: DocumentNode;
  address: string;
  queue: EventQueue<UpstreamItem>;
}

/**
 * The gateway's subscriptions: each one's primary fetch opened upstream through the shared hub,
 * each event run through the rest of its plan (entity fetches to other subgraphs, as a query's)
 * and shaped, then handed to the transport as `context.stream`. A subscription ends when its
 * client leaves, its upstream ends, the caller's token expires (`UNAUTHENTICATED`), a reload
 * makes it invalid (`SUBSCRIPTION_SCHEMA_CHANGED`) or the gateway stops (`GATEWAY_STOPPING`).
 */
export function createSubscriptions(options: SubscriptionsOptions): Subscriptions {
  const sessions = new Set<Session>();
  // Active subscriptions per client address; an address leaves the map with its last one.
  const perAddress = new Map<string, number>();
  const maxSubscriptions = options.maxSubscriptions ?? Number.POSITIVE_INFINITY;
  const maxPerAddress = options.maxSubscriptionsPerAddress ?? Number.POSITIVE_INFINITY;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  let stopping = false;
  const { observer, tracer } = options;
  const hub = createUpstreamHub({
    openerOf: options.openerOf,
    queueLimit: options.queueLimit ?? 100,
    ...(options.maxUpstreams !== undefined ? { maxUpstreams: options.maxUpstreams } : {}),
    reconnect: options.reconnect ?? { attempts: 5, initialDelayMs: 250, maxDelayMs: 5000 },
    ...(observer ? { onEvent: (clients: number) => observer.eventIn(clients), onReconnect: (subgraph: string) => observer.reconnect(subgraph) } : {}),
  });

  return {
    start(subscription) {
      const { primary, caller } = subscription;
      if (stopping) return { errors: [stoppingError({ http: { status: 503 } })] };
      const subgraph = primary.serviceName;
      const url = options.urlOf(subgraph);
      if (url === undefined)
        return { errors: [new GraphQLError(`Couldn't find service with name "${subgraph}"`, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })] };
      const variables: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const name of primary.variableUsages ?? []) {
        if (Object.hasOwn(subscription.variables, name) && subscription.variables[name] !== undefined) variables[name] = subscription.variables[name];
      }
      // The limits are checked before anything is joined or opened.
      if (sessions.size >= maxSubscriptions) return { errors: [overloaded('subscriptions')] };
      const address = options.addressOf?.(caller) ?? caller.context.clientAddress;
      const fromAddress = perAddress.get(address) ?? 0;
      if (fromAddress >= maxPerAddress) return { errors: [tooManyFromAddress()] };
      const queue = hub.join({
        subgraph,
        url,
        request: { query: primary.operation, operationName: primary.operationName, variables: { ...variables } },
        headers: options.callerHeadersOf(subgraph, caller),
        requestId: caller.context.requestId,
        signingSecret: options.signingSecret,
      });
      if (!queue) return { errors: [overloaded('upstream subscriptions')] };
      // Each event's entity fetches get a whole request's time, counted from the event, as a
      // request's do from when it is taken: the setup request's deadline means nothing to an
      // event that comes an hour later.
      const { context } = caller;
      const session: Session = { document: subscription.document, address, queue };
      sessions.add(session);
      perAddress.set(address, fromAddress + 1);
      const cancelExpiry = expiryTimer(caller.context, () => queue.end({ fatal: expired() }));
      let counted = true;
      const done = () => {
        sessions.delete(session);
        cancelExpiry();
        if (!counted) return;
        counted = false;
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
      };
      const runEvent = (item: {
        event: {
          data?: Record<string, unknown> | null;
          errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
        };
      }) => {
        const upstreamErrors = (item.event.errors ?? []).map(
          (error) =>
            new GraphQLError(error.message, {
              ...(error.path ? { path: error.path } : {}),
              extensions: { ...error.extensions, code: error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR', serviceName: subgraph },
            }),
        );
        // Every client merges into its own copy: the event is shared by all of an upstream's clients.
        context.deadlineAt = Date.now() + requestTimeoutMs;
        const data = item.event.data;
        if (data === null || data === undefined || typeof data !== 'object') return Promise.resolve<SubscriptionEvent>({ data: null, errors: upstreamErrors });
        return subscription.runEvent(structuredClone(data) as ResultObject, upstreamErrors);
      };
      const traced = (item: Parameters<typeof runEvent>[0]) =>
        tracer
          ? tracer.startActiveSpan('gateway.subscription.event', { attributes: { 'portico.subgraph': subgraph } }, async (span) => {
              try {
                const event = await runEvent(item);
                if (event.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
                return event;
              } finally {
                span.end();
              }
            })
          : runEvent(item);
      const events: AsyncIterableIterator<SubscriptionEvent> = {
        async next() {
          const item = await queue.next();
          if (item.done) {
            done();
            return { value: undefined, done: true };
          }
          const value = 'fatal' in item.value ? { errors: [item.value.fatal] } : await traced(item.value);
          observer?.eventOut();
          return { value, done: false };
        },
        async return() {
          await queue.return();
          done();
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      (caller.context as GatewayContext).stream = { kind: 'subscription', events };
      return {};
    },
    revalidate(schema) {
      for (const session of sessions) {
        const errors = validate(schema, session.document);
        if (errors.length === 0) continue;
        session.queue.end({
          fatal: new GraphQLError(`The subscription ended: the supergraph changed and it is no longer valid (${errors[0]!.message})`, {
            extensions: { code: ErrorCode.SUBSCRIPTION_SCHEMA_CHANGED },
          }),
        });
      }
    },
    active: () => sessions.size,
    upstreams: () => hub.upstreams(),
    close() {
      stopping = true;
      hub.close(stoppingError({}));
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
