import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../backends/data/generateDemoData.js';
import { createInventoryServer } from '../../backends/inventory/server.js';
import type { CallCountersClient } from '../../common/grpc/generated/portico/counters/v1/CallCounters.js';
import type { GetCountsResponse__Output } from '../../common/grpc/generated/portico/counters/v1/GetCountsResponse.js';
import type { GetStockResponse__Output } from '../../common/grpc/generated/portico/inventory/v1/GetStockResponse.js';
import type { InventoryClient } from '../../common/grpc/generated/portico/inventory/v1/Inventory.js';
import { countersClient, inventoryClient, statusOf, unary } from './helpers/grpcClients.js';
import { captureLogger, startGrpc } from './helpers/startServers.js';

const { stock } = generateDemoData();
const log = captureLogger();
let inventory: InventoryClient;
let counters: CallCountersClient;
let close: () => Promise<void>;

beforeAll(async () => {
  const started = await startGrpc(createInventoryServer({ stock, logger: log.logger }));
  close = started.close;
  inventory = inventoryClient(started.address);
  counters = countersClient(started.address);
});
afterAll(async () => {
  inventory.close();
  counters.close();
  await close();
});

// Explicit response types: inference cannot see through the clients' overloaded methods.
const getStock = (upcs: string[], metadata?: grpc.Metadata) =>
  unary<GetStockResponse__Output>((md, opts, cb) => inventory.getStock({ upcs }, md, opts, cb), metadata);
const getCounts = () => unary<GetCountsResponse__Output>((md, opts, cb) => counters.getCounts({}, md, opts, cb));

describe('GetStock', () => {
  it('answers in request order, unknown UPCs left out, duplicates once', async () => {
    const { items } = await getStock(['4', 'nope', '2', '4']);
    expect(items).toEqual([stock[3], stock[1]]);
  });

  it('reports out-of-stock products as such', async () => {
    const empty = stock.find((level) => !level.inStock)!;
    const { items } = await getStock([empty.upc]);
    expect(items).toEqual([{ ...empty, inStock: false, quantity: 0 }]);
  });

  it('accepts 1000 UPCs and refuses 1001 with INVALID_ARGUMENT', async () => {
    // Every known UPC plus unknown ones, to reach the limit with distinct keys.
    const upcs = [...stock.map((item) => item.upc), ...Array.from({ length: 1001 - stock.length }, (_, i) => `unknown-${i}`)];
    expect((await getStock(upcs.slice(0, 1000))).items).toHaveLength(stock.length);
    const failure = await statusOf(getStock(upcs));
    expect(failure.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(failure.details).toBe('at most 1000 upcs per call, got 1001');
  });
});

describe('CallCounters', () => {
  it('counts GetStock calls, not its own, and resets', async () => {
    await unary((md, opts, cb) => counters.resetCounts({}, md, opts, cb));
    await getStock(['1']);
    await getStock(['2', '3']);
    await getCounts();
    expect((await getCounts()).counts).toEqual({ GetStock: 2 });
    await unary((md, opts, cb) => counters.resetCounts({}, md, opts, cb));
    expect((await getCounts()).counts).toEqual({});
  });
});

it('logs the x-request-id metadata at debug level', async () => {
  const metadata = new grpc.Metadata();
  metadata.set('x-request-id', 'req-inventory-1');
  await getStock(['1'], metadata);
  expect(log.lines()).toContainEqual(expect.objectContaining({ level: 20, requestId: 'req-inventory-1' }));
});
