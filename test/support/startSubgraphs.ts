import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../../common/createLogger.js';
import { createAccountsServer } from '../../subgraphs/accounts/server.js';
import { createUsersApi } from '../../subgraphs/accounts/usersApi.js';
import { createInventoryServer } from '../../subgraphs/inventory/server.js';
import { createStockApi } from '../../subgraphs/inventory/stockApi.js';
import type { StreamingLimits, SubgraphRuntime, SubgraphServer } from '../../subgraphs/kit/createSubgraphServer.js';
import type { NonceStore } from '../../subgraphs/kit/nonces/NonceStore.js';
import { createRestClient } from '../../subgraphs/kit/rest/createRestClient.js';
import { createCatalogApi } from '../../subgraphs/products/catalogApi.js';
import { createProductsServer } from '../../subgraphs/products/server.js';
import { createReviewsApi } from '../../subgraphs/reviews/reviewsApi.js';
import { createReviewsServer } from '../../subgraphs/reviews/server.js';
import type { DemoBackends } from './startDemoBackends.js';
import { stopServer } from './stopServer.js';

export type SubgraphName = 'accounts' | 'products' | 'inventory' | 'reviews';

/** The secret the test subgraphs and the test gateway share. */
export const testSigningSecret = 'test-signing-secret-0123456789';

export interface RunningSubgraphs {
  /** Each subgraph's GraphQL URL. */
  urls: Record<SubgraphName, string>;
  /** One subgraph's HTTP server, for tests that watch what the gateway sends it. */
  httpServer(name: SubgraphName): Server;
  /** Stops one subgraph, as if its process died. */
  stop(name: SubgraphName): Promise<void>;
  close(): Promise<void>;
}

/**
 * The four demo subgraphs, built as their entry files build them but in this process, on
 * port 0, calling the given backends. Backend deadlines are short so failure tests are quick.
 */
export async function startSubgraphs(
  backends: DemoBackends,
  options: {
    development?: boolean;
    requireSignature?: boolean;
    logger?: Logger;
    usersListLimit?: number;
    nonces?: NonceStore;
    /** The subgraphs' streaming limits. @default the kit's */
    streaming?: StreamingLimits;
  } = {},
): Promise<RunningSubgraphs> {
  const logger = options.logger?.child({ name: 'test-subgraphs' }) ?? createLogger({ name: 'test-subgraphs', level: process.env.LOG_LEVEL ?? 'silent' });
  const users = createRestClient({ backend: 'users', baseUrl: backends.usersUrl, timeoutMs: 2000 });
  const reviews = createRestClient({ backend: 'reviews', baseUrl: backends.reviewsUrl, timeoutMs: 2000 });
  const catalog = createCatalogApi(backends.catalogAddress, 2000);
  const stockApi = createStockApi(backends.inventoryAddress, 2000);
  const runtime: SubgraphRuntime = {
    logger,
    development: options.development,
    // As in production unless asked otherwise: every request must carry the gateway's signature.
    signing: {
      secret: testSigningSecret,
      requireSignature: options.requireSignature ?? true,
      maxAgeMs: 60_000,
      ...(options.nonces ? { nonces: options.nonces } : {}),
    },
    ...(options.streaming ? { streaming: options.streaming } : {}),
  };
  const servers: Record<SubgraphName, SubgraphServer> = {
    accounts: createAccountsServer({
      usersApi: createUsersApi(users),
      ...(options.usersListLimit ? { usersListLimit: options.usersListLimit } : {}),
      ...runtime,
    }),
    products: createProductsServer({ catalog, ...runtime }),
    inventory: createInventoryServer({ stockApi, ...runtime }),
    reviews: createReviewsServer({ reviewsApi: createReviewsApi(reviews), ...runtime }),
  };
  const urls = {} as Record<SubgraphName, string>;
  for (const [name, server] of Object.entries(servers) as Array<[SubgraphName, SubgraphServer]>) {
    await server.start();
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    urls[name] = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
  }
  const stopped = new Set<SubgraphName>();
  const stop = async (name: SubgraphName) => {
    if (stopped.has(name)) return;
    stopped.add(name);
    await stopServer(servers[name]);
  };
  return {
    urls,
    httpServer: (name) => servers[name].httpServer,
    stop,
    async close() {
      for (const name of Object.keys(servers) as SubgraphName[]) await stop(name);
      await Promise.all([users.close(), reviews.close()]);
      catalog.close();
      stockApi.close();
    },
  };
}
