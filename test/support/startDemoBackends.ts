import { join } from 'node:path';
import type { Server } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { createCatalogServer } from '../../backends/catalog/server.js';
import { generateDemoData, type DemoDataOptions } from '../../backends/data/generateDemoData.js';
import type { DemoData } from '../../backends/data/types.js';
import { bindGrpc, shutdownGrpc } from '../../backends/entry/bindGrpc.js';
import { closeHttp, listenHttp } from '../../common/process/listenHttp.js';
import { createInventoryServer } from '../../backends/inventory/server.js';
import { createReviewsServer } from '../../backends/reviews/server.js';
import { createUsersServer } from '../../backends/users/server.js';
import { createLogger, type Logger } from '../../common/createLogger.js';
import type { ProtoGrpcType as CountersProto } from '../../common/grpc/generated/counters.js';
import type { CallCountersClient } from '../../common/grpc/generated/portico/counters/v1/CallCounters.js';
import { loadProto, protosDir } from '../../common/grpc/loadProto.js';

export type BackendName = 'users' | 'reviews' | 'catalog' | 'inventory';

export interface BackendCounts {
  /** Calls per route, e.g. `{ "GET /users": 2 }`. */
  users: Record<string, number>;
  reviews: Record<string, number>;
  /** Calls per gRPC method, e.g. `{ "GetProducts": 1 }`. */
  catalog: Record<string, number>;
  inventory: Record<string, number>;
  /** Calls per concrete request, e.g. `{ "GET /users?ids=1,2": 1 }`. */
  usersPaths: Record<string, number>;
  /**
   * Calls per concrete request, e.g. `{ "GET /users/7/reviews": 1 }`: a value above 1 means
   * the same resource was fetched twice.
   */
  reviewsPaths: Record<string, number>;
}

export interface DemoBackends {
  /** The data the servers started with (each server holds its own copy). */
  data: DemoData;
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  usersUrl: string;
  reviewsUrl: string;
  /** e.g. `127.0.0.1:41235`, as a gRPC client wants it. */
  catalogAddress: string;
  inventoryAddress: string;
  /** Calls received since start or the last reset; a stopped backend reports `{}`. */
  counts(): Promise<BackendCounts>;
  resetCounts(): Promise<void>;
  /** Stops one backend, e.g. to test how the layers above fail. Stopping twice is a no-op. */
  stop(name: BackendName): Promise<void>;
  /** Starts a stopped REST backend again on its old port, with the data it started with. */
  restart(name: 'users' | 'reviews'): Promise<void>;
  /** Stops everything still running; safe to call twice. */
  close(): Promise<void>;
}

/** How long an admin call may take before the test fails instead of hanging. */
const adminDeadlineMs = 5000;
const host = '127.0.0.1';

type Stoppers = Map<BackendName, () => Promise<void>>;

export interface DemoBackendsOptions {
  logger?: Logger;
  /** How much data to generate. @default the demo's (500 users, 500 products, 5,000 reviews) */
  data?: DemoDataOptions;
  /** Most users `GET /users?first=` lists. @default 500, the demo's */
  usersListLimit?: number;
}

/** Starts the four demo backends in this process on free ports, with freshly generated data. */
export async function startDemoBackends(options: DemoBackendsOptions = {}): Promise<DemoBackends> {
  const data = generateDemoData(options.data);
  // Quiet unless asked: backend logs would bury test output.
  const logger = (name: string) => options.logger?.child({ name }) ?? createLogger({ name, level: process.env.LOG_LEVEL ?? 'warn' });
  const stoppers: Stoppers = new Map();
  const stop = async (name: BackendName): Promise<void> => {
    const stopper = stoppers.get(name);
    stoppers.delete(name);
    await stopper?.();
  };
  const close = async (): Promise<void> => {
    await Promise.all([...stoppers.keys()].map(stop));
  };
  const running = (name: BackendName): boolean => stoppers.has(name);

  // Builders rather than servers, so that a stopped REST backend can come back.
  const restServers = {
    users: () => createUsersServer({ users: data.users, ...(options.usersListLimit ? { maxListSize: options.usersListLimit } : {}), logger: logger('users') }),
    reviews: () => createReviewsServer({ reviews: data.reviews, logger: logger('reviews') }),
  };
  try {
    const usersPort = await startHttp('users', restServers.users(), stoppers);
    const reviewsPort = await startHttp('reviews', restServers.reviews(), stoppers);
    const restPorts = { users: usersPort, reviews: reviewsPort };
    const catalog = await startGrpc('catalog', createCatalogServer({ products: data.products, logger: logger('catalog') }), stoppers);
    const inventory = await startGrpc('inventory', createInventoryServer({ stock: data.stock, logger: logger('inventory') }), stoppers);
    const usersUrl = `http://${host}:${usersPort}`;
    const reviewsUrl = `http://${host}:${reviewsPort}`;
    const noRestCounts: AdminCounts = { counts: {}, paths: {} };

    return {
      data,
      usersUrl,
      reviewsUrl,
      catalogAddress: catalog.address,
      inventoryAddress: inventory.address,
      async counts() {
        const [u, r, c, i] = await Promise.all([
          running('users') ? restCounts(usersUrl) : noRestCounts,
          running('reviews') ? restCounts(reviewsUrl) : noRestCounts,
          running('catalog') ? grpcCounts(catalog.client) : {},
          running('inventory') ? grpcCounts(inventory.client) : {},
        ]);
        return { users: u.counts, reviews: r.counts, catalog: c, inventory: i, usersPaths: u.paths, reviewsPaths: r.paths };
      },
      async resetCounts() {
        await Promise.all([
          running('users') && restReset(usersUrl),
          running('reviews') && restReset(reviewsUrl),
          running('catalog') && grpcReset(catalog.client),
          running('inventory') && grpcReset(inventory.client),
        ]);
      },
      stop,
      async restart(name) {
        if (running(name)) return;
        await startHttp(name, restServers[name](), stoppers, restPorts[name]);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startHttp(name: BackendName, server: Server, stoppers: Stoppers, wanted = 0): Promise<number> {
  const port = await listenHttp(server, wanted, host);
  stoppers.set(name, () => closeHttp(server));
  return port;
}

/** Binds the server and opens a CallCounters client to it; stopping closes both. */
async function startGrpc(name: BackendName, server: grpc.Server, stoppers: Stoppers): Promise<{ address: string; client: CallCountersClient }> {
  const address = `${host}:${await bindGrpc(server, 0, host)}`;
  const proto = loadProto<CountersProto>(join(protosDir, 'counters.proto'));
  const client = new proto.portico.counters.v1.CallCounters(address, grpc.credentials.createInsecure());
  stoppers.set(name, async () => {
    client.close();
    await shutdownGrpc(server);
  });
  return { address, client };
}

interface AdminCounts {
  counts: Record<string, number>;
  paths: Record<string, number>;
}

async function restCounts(baseUrl: string): Promise<AdminCounts> {
  const response = await fetch(`${baseUrl}/_admin/counts`, { signal: AbortSignal.timeout(adminDeadlineMs) });
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/_admin/counts answered ${response.status}`);
  return (await response.json()) as AdminCounts;
}

async function restReset(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/_admin/counts`, {
    method: 'DELETE',
    signal: AbortSignal.timeout(adminDeadlineMs),
  });
  if (response.status !== 204) throw new Error(`DELETE ${baseUrl}/_admin/counts answered ${response.status}`);
}

function grpcCounts(client: CallCountersClient): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    client.getCounts({}, { deadline: Date.now() + adminDeadlineMs }, (error, response) => {
      if (error || !response) reject(error ?? new Error('GetCounts returned nothing'));
      else resolve({ ...response.counts });
    });
  });
}

function grpcReset(client: CallCountersClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.resetCounts({}, { deadline: Date.now() + adminDeadlineMs }, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
