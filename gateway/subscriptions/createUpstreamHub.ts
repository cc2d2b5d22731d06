import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { SubgraphResponse } from '../subgraphRequests/createSubgraphClient.js';
import { createEventQueue, type EventQueue } from './createEventQueue.js';
import type { OpenUpstream, UpstreamTarget } from './OpenUpstream.js';

/** What one client reads from an upstream: its events, and at most one last error that ends it. */
export type UpstreamItem = { event: SubgraphResponse } | { fatal: GraphQLError };

export interface ReconnectPolicy {
  /** Reconnects tried in a row before the clients are told the upstream is gone. */
  attempts: number;
  /** The first backoff; it doubles for each further attempt, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface UpstreamHubOptions {
  /** How a subgraph's subscriptions are opened (its `subscriptionTransport`). */
  openerOf: (subgraph: string) => OpenUpstream;
  /** Events held for one client that does not read; one more ends its subscription. */
  queueLimit: number;
  /** Upstream subscriptions open at once; a join that needs one more is refused. */
  maxUpstreams?: number;
  reconnect: ReconnectPolicy;
  /** Told of each upstream event (with its clients) and each reconnect, for the metrics. */
  onEvent?: (clients: number) => void;
  onReconnect?: (subgraph: string) => void;
  /**
   * Told when the subgraph accepts an upstream (true) and when one fails for the subgraph's own
   * fault (false), for its circuit breaker; never of a refusal the request caused.
   */
  onHealth?: (subgraph: string, healthy: boolean) => void;
  /**
   * Where a subgraph takes requests now: a reconnect goes there (a reload may have moved it),
   * whatever URL the upstream was first opened at. Without it, the first URL.
   */
  urlOf?: (subgraph: string) => string | undefined;
}

export interface UpstreamHub {
  /**
   * A queue of the events of this subscription, sharing an upstream with identical ones;
   * `return()` leaves. Undefined, with nothing opened, when it needs a new upstream and
   * `maxUpstreams` are open. `weight` is how many clients read what this queue gets (one by
   * default; a group of clients that share each event's result), for the fan-out metric.
   */
  join(target: UpstreamTarget, weight?: () => number): EventQueue<UpstreamItem> | undefined;
  /** Upstream subscriptions open (or reconnecting). */
  upstreams(): number;
  /** Ends every client with `final` and closes every upstream. */
  close(final: GraphQLError): void;
}

interface Group {
  key: string;
  target: UpstreamTarget;
  clients: Set<EventQueue<UpstreamItem>>;
  weights: Map<EventQueue<UpstreamItem>, () => number>;
  close: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
  attempts: number;
  /** When the upstream open now was accepted; undefined while (re)connecting. */
  connectedAt: number | undefined;
}

/** How long an upstream that sends nothing must stay up before its reconnect backoff starts afresh. */
const STABLE_CONNECTION_MS = 30_000;

/**
 * Shared upstream subscriptions: identical subscriptions (same subgraph and URL, same caller
 * headers as the subgraph sees them, same document, operation and variables) share one, fanned
 * out to every client; the upstream closes when its last client leaves. A client's queue is
 * bounded: one that falls `queueLimit` events behind is ended with `SUBSCRIPTION_CLIENT_TOO_SLOW`
 * and the others go on. An upstream that fails for the subgraph's fault reconnects with backoff;
 * after `reconnect.attempts` failures in a row (or one the request itself caused) its clients get
 * the error and end.
 */
export function createUpstreamHub(options: UpstreamHubOptions): UpstreamHub {
  const groups = new Map<string, Group>();

  const endAll = (group: Group, last?: UpstreamItem) => {
    for (const client of [...group.clients]) client.end(last);
  };

  const leave = (group: Group, client: EventQueue<UpstreamItem>) => {
    group.clients.delete(client);
    group.weights.delete(client);
    if (group.clients.size > 0 || groups.get(group.key) !== group) return;
    groups.delete(group.key);
    clearTimeout(group.timer);
    group.close?.();
    group.close = undefined;
  };

  const open = (group: Group) => {
    group.timer = undefined;
    group.close = options.openerOf(group.target.subgraph)(group.target, {
      connected: () => {
        group.connectedAt = Date.now();
        options.onHealth?.(group.target.subgraph, true);
      },
      next: (response) => {
        // An upstream that delivers is healthy again: its backoff starts afresh. Being accepted
        // is not enough: one that accepts and drops at once would reconnect forever.
        group.attempts = 0;
        if (options.onEvent) {
          let clients = group.clients.size - group.weights.size;
          for (const weight of group.weights.values()) clients += weight();
          options.onEvent(clients);
        }
        for (const client of [...group.clients]) {
          if (!client.push({ event: response })) client.end({ fatal: tooSlow() });
        }
      },
      fail: (error, subgraphFault) => {
        group.close = undefined;
        // A quiet upstream that stayed up a while counts as healthy too.
        if (group.connectedAt !== undefined && Date.now() - group.connectedAt >= STABLE_CONNECTION_MS) group.attempts = 0;
        group.connectedAt = undefined;
        if (subgraphFault) options.onHealth?.(group.target.subgraph, false);
        if (!subgraphFault || group.attempts >= options.reconnect.attempts || group.clients.size === 0) {
          endAll(group, { fatal: error });
          return;
        }
        const delay = Math.min(options.reconnect.maxDelayMs, options.reconnect.initialDelayMs * 2 ** group.attempts);
        group.attempts += 1;
        options.onReconnect?.(group.target.subgraph);
        group.timer = setTimeout(
          () => {
            const url = options.urlOf?.(group.target.subgraph);
            if (url !== undefined && url !== group.target.url) group.target = { ...group.target, url };
            open(group);
          },
          delay / 2 + Math.random() * (delay / 2),
        );
        group.timer.unref();
      },
      complete: () => {
        group.close = undefined;
        // A normal end: each client still reads the events queued before it.
        for (const client of [...group.clients]) client.drain();
      },
    });
  };

  return {
    join(target, weight) {
      const key = JSON.stringify([
        target.subgraph,
        target.url,
        target.headers,
        target.request.query,
        target.request.operationName ?? null,
        target.request.variables,
      ]);
      let group = groups.get(key);
      const fresh = group === undefined;
      if (!group) {
        if (groups.size >= (options.maxUpstreams ?? Number.POSITIVE_INFINITY)) return undefined;
        group = { key, target, clients: new Set(), weights: new Map(), close: undefined, timer: undefined, attempts: 0, connectedAt: undefined };
        groups.set(key, group);
      }
      const joined = group;
      const client = createEventQueue<UpstreamItem>(options.queueLimit, () => leave(joined, client));
      group.clients.add(client);
      if (weight) group.weights.set(client, weight);
      if (fresh) open(group);
      return client;
    },
    upstreams: () => groups.size,
    close(final) {
      for (const group of [...groups.values()]) endAll(group, { fatal: final });
    },
  };
}

function tooSlow(): GraphQLError {
  return new GraphQLError('The subscription ended: the client did not read its events fast enough', {
    extensions: { code: ErrorCode.SUBSCRIPTION_CLIENT_TOO_SLOW },
  });
}
