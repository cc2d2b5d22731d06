import type { SupergraphStatus } from '../supergraph/createSupergraphWatcher.js';

/** What `/ready` shows besides pass or fail. */
export interface ReadinessDetails {
  /** The supergraph served, its reloads, and the last one refused. */
  supergraph?: SupergraphStatus;
  /** `"reachable"`, or why a subgraph is not. */
  subgraphs?: Record<string, string>;
}

export type ReadinessStatus = { ready: true; details?: ReadinessDetails } | { ready: false; reason: string; details?: ReadinessDetails };

export interface Readiness {
  /** Serves or not, from the gateway's own state only; when not, why. */
  status(): ReadinessStatus;
  /** `status()`, and when the gateway was built to, whether every subgraph answers. */
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
  probeSubgraphs?: () => Promise<Record<string, string>>;
}

/**
 * Whether the gateway should receive traffic (`/ready`): once it has loaded its supergraph, and
 * no longer once it has started to drain, so that load balancers stop sending it requests.
 * Optionally also only while every subgraph answers, for deployments that would rather route
 * around a gateway whose subgraphs it cannot reach.
 */
export function createReadiness(options: ReadinessOptions = {}): Readiness {
  let loaded = false;
  let draining = false;
  // Concurrent /ready calls share one round of probes.
  let probing: Promise<Record<string, string>> | undefined;

  const status = (): ReadinessStatus => {
    if (draining) return { ready: false, reason: 'the gateway is shutting down' };
    if (!loaded) return { ready: false, reason: 'the supergraph is not loaded yet' };
    return { ready: true };
  };

  return {
    status,
    async check() {
      const own = status();
      const supergraph = options.supergraph ? { supergraph: options.supergraph() } : {};
      if (!own.ready || !options.probeSubgraphs) return { ...own, details: supergraph };
      probing ??= options.probeSubgraphs().finally(() => (probing = undefined));
      const subgraphs = await probing;
      const details = { ...supergraph, subgraphs };
      const unreachable = Object.keys(subgraphs).filter((name) => subgraphs[name] !== 'reachable');
      if (unreachable.length === 0) return { ready: true, details };
      return { ready: false, reason: `subgraphs not reachable: ${unreachable.join(', ')}`, details };
    },
    markLoaded() {
      loaded = true;
    },
    markDraining() {
      draining = true;
    },
  };
}
