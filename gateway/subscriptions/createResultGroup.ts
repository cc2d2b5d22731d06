import { setMaxListeners } from 'node:events';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { GraphQLError, type DocumentNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { ResultObject } from '../execution/collectEntities.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { SubscriptionEvent } from '../streaming/ResultStream.js';
import type { SubgraphCaller, SubgraphResponse } from '../subgraphRequests/createSubgraphClient.js';
import { createEventQueue, type EventQueue } from './createEventQueue.js';
import type { UpstreamItem } from './createUpstreamHub.js';
import type { EventPatch } from './EventPatch.js';

/** Runs the rest of a plan from one event's data with `caller`, and shapes it as a query's result. */
export type RunEvent = (data: ResultObject, upstreamErrors: readonly GraphQLError[], caller: SubgraphCaller) => Promise<SubscriptionEvent>;

export interface ResultGroupOptions {
  /** The primary fetch's subgraph: upstream errors' `serviceName`, the span's attribute. */
  subgraph: string;
  /** The operation as executed, revalidated when the supergraph changes. */
  document: DocumentNode;
  /** This group's share of the upstream subscription (from the hub). */
  upstream: EventQueue<UpstreamItem>;
  /** The first client's run: every client of the group would run the same. */
  run: RunEvent;
  /** Applied to each finished event (see EventPatch). */
  patch: EventPatch | undefined;
  /** On whose behalf the entity fetches are made: the first client's identity, with the group's own signal. */
  caller: SubgraphCaller;
  /** The time each event's fetches get, from the event. */
  requestTimeoutMs: number;
  /** Finished events held for one client that does not read; one more ends it with `SUBSCRIPTION_CLIENT_TOO_SLOW`. */
  queueLimit: number;
  /** Events resolved at once (their delivery keeps the upstream's order). */
  maxRunning: number;
  tracer: Tracer | undefined;
  /** Called once, when no client can join any more (the last left, or the upstream ended). */
  onGone: () => void;
}

export interface ResultGroup {
  readonly document: DocumentNode;
  /** A new client's queue of finished events, from the next upstream event on; `onRead` is told of each one it reads. */
  join(onLeave: () => void, onRead?: () => void): EventQueue<SubscriptionEvent>;
  /** Clients reading now. */
  readonly size: number;
  /** Ends every client with `error` (read last) and lets go of the upstream. */
  end(error: GraphQLError): void;
}

/**
 * The clients of one upstream subscription that would get the same events (same operation,
 * variables, caller as every subgraph sees it, and authorization outcome): each upstream event
 * is run through the rest of the plan, shaped and patched ONCE for all of them, and the finished
 * event (one object, never changed after) is queued for each. Entity fetches run under the
 * group's own signal, so a client that leaves cancels nothing the others wait for; the last one
 * to leave cancels what is still running. Events are resolved a few at a time and delivered in
 * the upstream's order; a group that falls `queueLimit` events behind its upstream (its
 * subgraphs too slow) ends with `OVERLOADED`; a client that falls `queueLimit` finished events
 * behind ends alone with `SUBSCRIPTION_CLIENT_TOO_SLOW`.
 */
export function createResultGroup(options: ResultGroupOptions): ResultGroup {
  const { upstream, subgraph, tracer } = options;
  const clients = new Set<EventQueue<SubscriptionEvent>>();
  const abort = new AbortController();
  // Every event in flight (up to maxRunning) and each of its fetch attempts listen to this one
  // signal: more than Node's default of 10 is the design, not a leak.
  setMaxListeners(0, abort.signal);
  let gone = false;
  // Deliveries, chained in the upstream's order.
  let delivered: Promise<void> = Promise.resolve();
  let running = 0;
  let slotFreed: (() => void) | undefined;

  const letGo = () => {
    if (gone) return;
    gone = true;
    // As when a client goes away: what runs for nobody stops.
    abort.abort();
    void upstream.return();
    options.onGone();
  };

  const endAll = (last: SubscriptionEvent | undefined) => {
    letGo();
    for (const client of [...clients]) client.end(last);
  };

  const resolveEvent = (response: SubgraphResponse): Promise<SubscriptionEvent> => {
    const upstreamErrors = (response.errors ?? []).map(
      (error) =>
        new GraphQLError(error.message, {
          ...(error.path ? { path: error.path } : {}),
          extensions: { ...error.extensions, code: error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR', serviceName: subgraph },
        }),
    );
    const data = response.data;
    if (data === null || data === undefined || typeof data !== 'object') return Promise.resolve({ data: null, errors: upstreamErrors });
    // Each event's fetches get a whole request's time, counted from the event: the setup
    // request's deadline means nothing to an event that comes an hour later.
    const context: GatewayContext = { ...options.caller.context, signal: abort.signal, deadlineAt: Date.now() + options.requestTimeoutMs };
    // The plan merges into the data in place; the upstream's event is shared by every group of it.
    return options.run(structuredClone(data) as ResultObject, upstreamErrors, { context, clientHeaders: options.caller.clientHeaders });
  };

  const finished = async (response: SubgraphResponse): Promise<SubscriptionEvent> => {
    const event = await resolveEvent(response);
    return options.patch ? options.patch.patch(event) : event;
  };

  const traced = (response: SubgraphResponse): Promise<SubscriptionEvent> =>
    tracer
      ? tracer.startActiveSpan(
          'gateway.subscription.event',
          { attributes: { 'portico.subgraph': subgraph, 'portico.clients': clients.size } },
          async (span) => {
            try {
              const event = await finished(response);
              if (event.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
              return event;
            } finally {
              span.end();
            }
          },
        )
      : finished(response);

  const deliver = (event: SubscriptionEvent, recipients: readonly EventQueue<SubscriptionEvent>[]) => {
    for (const client of recipients) {
      if (client.ended) continue;
      if (!client.push(event)) client.end({ errors: [tooSlow()] });
    }
  };

  const pump = async () => {
    for (;;) {
      while (running >= options.maxRunning && !gone) await new Promise<void>((resolve) => (slotFreed = resolve));
      if (gone) return;
      const item = await upstream.next();
      if (item.done) {
        // A normal end: no one joins any more; each client reads what is delivered, then is done.
        if (!gone) {
          gone = true;
          options.onGone();
        }
        delivered = delivered.then(() => {
          for (const client of [...clients]) client.drain();
        });
        return;
      }
      if ('fatal' in item.value) {
        const fatal = item.value.fatal.extensions.code === ErrorCode.SUBSCRIPTION_CLIENT_TOO_SLOW ? behind() : item.value.fatal;
        endAll({ errors: [fatal] });
        return;
      }
      // Those reading now get this event; a client that joins while it runs gets the next one.
      const recipients = [...clients];
      running += 1;
      const result = traced(item.value.event).then(
        (event) => event,
        (): SubscriptionEvent | undefined => undefined,
      );
      delivered = delivered
        .then(async () => {
          const event = await result;
          running -= 1;
          const resolve = slotFreed;
          slotFreed = undefined;
          resolve?.();
          if (gone && clients.size === 0) return;
          // The gateway failed to resolve it (a bug, not a subgraph's failure, which is an error in the event).
          if (event === undefined) endAll({ errors: [internalError()] });
          else deliver(event, recipients);
        })
        .catch(() => endAll({ errors: [internalError()] }));
    }
  };

  void pump().catch(() => endAll({ errors: [internalError()] }));

  return {
    document: options.document,
    join(onLeave, onRead) {
      const client = createEventQueue<SubscriptionEvent>(
        options.queueLimit,
        () => {
          clients.delete(client);
          try {
            onLeave();
          } finally {
            // The last client gone: what still runs runs for nobody (also after the upstream's
            // normal end, when `gone` is already set and letGo would do nothing).
            if (clients.size === 0) {
              abort.abort();
              letGo();
            }
          }
        },
        onRead,
      );
      clients.add(client);
      return client;
    },
    get size() {
      return clients.size;
    },
    end(error) {
      endAll({ errors: [error] });
    },
  };
}

function tooSlow(): GraphQLError {
  return new GraphQLError('The subscription ended: the client did not read its events fast enough', {
    extensions: { code: ErrorCode.SUBSCRIPTION_CLIENT_TOO_SLOW },
  });
}

function behind(): GraphQLError {
  return new GraphQLError('The subscription ended: its events came faster than the gateway could resolve them', {
    extensions: { code: ErrorCode.OVERLOADED },
  });
}

function internalError(): GraphQLError {
  return new GraphQLError('The subscription ended: the gateway failed to resolve an event', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}
