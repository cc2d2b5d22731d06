import type { ApolloServerPlugin } from '@apollo/server';
import { createHttpDrain as createCommonHttpDrain, type HttpDrainOptions } from '../../common/http/createHttpDrain.js';

export interface GatewayHttpDrain {
  /** Drains the HTTP server when Apollo Server stops, before it stops executing operations. */
  plugin: ApolloServerPlugin;
}

/**
 * The gateway's drain (see `common/http/createHttpDrain.ts`): `delayMs` is `server.drainDelayMs`,
 * `gracePeriodMs` is `server.shutdownGracePeriodMs`, run by Apollo Server's stop.
 */
export function createHttpDrain(options: Omit<HttpDrainOptions, 'settings'>): GatewayHttpDrain {
  const { drain } = createCommonHttpDrain({ ...options, settings: { delay: 'server.drainDelayMs', gracePeriod: 'server.shutdownGracePeriodMs' } });
  return {
    plugin: {
      async serverWillStart() {
        return { drainServer: drain };
      },
    },
  };
}
