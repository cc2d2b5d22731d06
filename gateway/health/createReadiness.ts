import type { Logger } from '../../common/createLogger.js';
import type { SupergraphStatus } from '../supergraph/createSupergraphManager.js';
import type { SubgraphProbeResult } from './createSubgraphProbe.js';

/**
 * What `/ready` shows besides pass or fail, in development only. Never a file, URL or host, nor
 * an error message (they name them): those are in the log.
 */
export interface ReadinessDetails {
  /** When the supergraph served was loaded, its reloads, and when a reload was last refused. */
  supergraph?: { loadedAt: string; reloads: number; lastError?: { at: string } };
  /** `"reachable"`, or why a subgraph is not. */
  subgraphs?: Record<string, string>;
  /** `"reachable"`, or why the gateway's Redis is not (`server.readyChecksRedis`). */
  redis?: string;
}

/**
 * Pass or fail; when failing, a short reason that names no file, URL or host (it is served to
 * anyone who asks `/ready`); `details` only where the gateway was built to show them.
 */
export type ReadinessStatus = { ready: true; details?: ReadinessDetails } | { ready: false; reason: string; details?: ReadinessDetails };

export interface Readiness {
  /** Serves or not, from the gateway's own state only; when not, why. */
  status(): ReadinessStatus;
  /** `status()`, and when the gateway was built to, whether Redis and the subgraphs answer. */
  check(): Promise<ReadinessStatus>;
  /** Called when the gateway has a supergraph to plan with. */
  markLoaded(): void;
  /** Called when the gateway starts to drain: from then on, never ready again. */
  markDraining(): void;
}

export interface ReadinessOptions {
  /** What to show about the supergraph. */
  supergraph?: () => SupergraphStatus;
  /** Asks every subgraph; resolves with `"reachable"` or a reason for each (`server.readyChecksSubgraphs`). */
  probeSubgraphs?: () => Promise<SubgraphProbeResult[]>;
  /**
   * With `probeSubgraphs`, which answers make the gateway ready: `every` subgraph, or `any` one
   * (then a subgraph's own outage, which every replica sees alike, does not take every replica
   * out of the load balancer; only a gateway that reaches none of them is taken out).
   * @default 'every'
   */
  subgraphsNeeded?: 'every' | 'any';
  /** Asks Redis; resolves with `"reachable"` or why not (`server.readyChecksRedis`). Never rejects. */
  probeRedis?: () => Promise<string>;
  /**
   * Whether `check()` gives `details` (the supergraph's reloads, each subgraph's state): in
   * development. `/ready` is public: a load balancer needs pass or fail, nothing more.
   * @default false
   */
  showDetails?: boolean;
  /** Where a subgraph that stops or starts answering the probes is reported, with its URL. */
  logger?: Logger;
}

/**
 * Whether the gateway should receive traffic (`/ready`): once it has loaded its supergraph, and
 * no longer once it has started to drain, so that load balancers stop sending it requests.
 * Optionally also only while its Redis answers (for deployments whose rate limits fail closed,
 * where a gateway without Redis refuses every request anyway), and while every subgraph (or
 * any subgraph) answers, for deployments that would rather route around a gateway whose
 * subgraphs it cannot reach.
 */
export function createReadiness(options: ReadinessOptions = {}): Readiness {
  let loaded = false;
  let draining = false;
  // Concurrent /ready calls share one round of probes.
  let probing: Promise<SubgraphProbeResult[]> | undefined;
  let askingRedis: Promise<string> | undefined;

  const status = (): ReadinessStatus => {
    if (draining) return { ready: false, reason: 'the gateway is shutting down' };
    if (!loaded) return { ready: false, reason: 'the supergraph is not loaded yet' };
    return { ready: true };
  };

  // The subgraphs that did not answer the last round of probes, to log changes only: load
  // balancers ask /ready every few seconds.
  let unreachableBefore = '';
  const report = (results: readonly SubgraphProbeResult[]) => {
    const unreachable = results.filter((result) => result.state !== 'reachable');
    const key = unreachable.map(({ name, state }) => `${name}:${state}`).join(',');
    if (key === unreachableBefore) return;
    unreachableBefore = key;
    if (unreachable.length === 0) options.logger?.info('/ready: every subgraph answers again');
    else options.logger?.warn(`/ready: subgraphs not reachable: ${unreachable.map(({ name, url, state }) => `${name} at ${url} (${state})`).join('; ')}`);
  };

  return {
    status,
    async check() {
      const own = status();
      const details: ReadinessDetails = options.supergraph ? { supergraph: withoutInternals(options.supergraph()) } : {};
      const shown = (answer: ReadinessStatus): ReadinessStatus => (options.showDetails ? { ...answer, details } : answer);
      if (!own.ready) return shown(own);
      if (options.probeRedis) {
        askingRedis ??= options.probeRedis().finally(() => (askingRedis = undefined));
        details.redis = await askingRedis;
        if (details.redis !== 'reachable') return shown({ ready: false, reason: 'Redis not reachable' });
      }
      if (!options.probeSubgraphs) return shown(own);
      probing ??= options.probeSubgraphs().finally(() => (probing = undefined));
      const results = await probing;
      report(results);
      details.subgraphs = Object.fromEntries(results.map(({ name, state }) => [name, state]));
      const unreachable = results.filter(({ state }) => state !== 'reachable').map(({ name }) => name);
      const enough = options.subgraphsNeeded === 'any' ? unreachable.length < results.length : unreachable.length === 0;
      if (enough) return shown({ ready: true });
      return shown({ ready: false, reason: `subgraphs not reachable: ${unreachable.join(', ')}` });
    },
    markLoaded() {
      loaded = true;
    },
    markDraining() {
      draining = true;
    },
  };
}

/** The supergraph's status without its source or the message of the last refusal, which name files and URLs. */
function withoutInternals({ loadedAt, reloads, lastError }: SupergraphStatus): NonNullable<ReadinessDetails['supergraph']> {
  return { loadedAt, reloads, ...(lastError ? { lastError: { at: lastError.at } } : {}) };
}
