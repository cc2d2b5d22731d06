import type { ApolloServerPlugin } from '@apollo/server';

export type ReadinessStatus = { ready: true } | { ready: false; reason: string };

export interface Readiness {
  /** Serves or not; when not, why. */
  status(): ReadinessStatus;
  /** Called when the gateway has a supergraph to plan with. */
  markLoaded(): void;
  /** Marks the gateway draining as soon as Apollo Server starts to stop. */
  plugin: ApolloServerPlugin;
}

/**
 * Whether the gateway should receive traffic (`/ready`): once it has loaded its supergraph, and
 * no longer once it has started to drain, so that load balancers stop sending it requests.
 */
export function createReadiness(): Readiness {
  let loaded = false;
  let draining = false;
  return {
    status() {
      if (draining) return { ready: false, reason: 'the gateway is shutting down' };
      if (!loaded) return { ready: false, reason: 'the supergraph is not loaded yet' };
      return { ready: true };
    },
    markLoaded() {
      loaded = true;
    },
    plugin: {
      async serverWillStart() {
        return {
          async drainServer() {
            draining = true;
          },
        };
      },
    },
  };
}
