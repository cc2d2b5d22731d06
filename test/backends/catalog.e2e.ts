import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogServer } from '../../backends/catalog/server.js';
import { generateDemoData } from '../../backends/data/generateDemoData.js';
import type { CatalogClient } from '../../common/grpc/generated/portico/catalog/v1/Catalog.js';
import type { GetProductsResponse__Output } from '../../common/grpc/generated/portico/catalog/v1/GetProductsResponse.js';
import type { ListTopProductsResponse__Output } from '../../common/grpc/generated/portico/catalog/v1/ListTopProductsResponse.js';
import type { Product__Output } from '../../common/grpc/generated/portico/catalog/v1/Product.js';
import type { CallCountersClient } from '../../common/grpc/generated/portico/counters/v1/CallCounters.js';
import type { GetCountsResponse__Output } from '../../common/grpc/generated/portico/counters/v1/GetCountsResponse.js';
import { catalogClient, countersClient, statusOf, unary } from './helpers/grpcClients.js';
import { captureLogger, startGrpc } from './helpers/startServers.js';

const { products } = generateDemoData();
const log = captureLogger();
let catalog: CatalogClient;
let counters: CallCountersClient;
let close: () => Promise<void>;

beforeAll(async () => {
  const started = await startGrpc(createCatalogServer({ products, logger: log.logger }));
  close = started.close;
  catalog = catalogClient(started.address);
  counters = countersClient(started.address);
});
afterAll(async () => {
  catalog.close();
  counters.close();
  await close();
});
beforeEach(() => unary((md, opts, cb) => counters.resetCounts({}, md, opts, cb)));

// Explicit response types: inference cannot see through the clients' overloaded methods.
const getProducts = (upcs: string[], metadata?: grpc.Metadata) =>
  unary<GetProductsResponse__Output>((md, opts, cb) => catalog.getProducts({ upcs }, md, opts, cb), metadata);
const listTop = (first: number) => unary<ListTopProductsResponse__Output>((md, opts, cb) => catalog.listTopProducts({ first }, md, opts, cb));
const updatePrice = (client: CatalogClient, upc: string, price: number) =>
  unary<Product__Output>((md, opts, cb) => client.updatePrice({ upc, price }, md, opts, cb));
const getCounts = () => unary<GetCountsResponse__Output>((md, opts, cb) => counters.getCounts({}, md, opts, cb));

describe('GetProducts', () => {
  it('answers in request order, unknown UPCs left out, duplicates once', async () => {
    const { products: found } = await getProducts(['3', 'nope', '1', '3']);
    expect(found).toEqual([products[2], products[0]]);
  });

  it('answers an empty list for no UPCs', async () => {
    expect((await getProducts([])).products).toEqual([]);
  });

  it('accepts 1000 UPCs and refuses 1001 with INVALID_ARGUMENT', async () => {
    // Every known UPC plus unknown ones, to reach the limit with distinct keys.
    const upcs = [...products.map((item) => item.upc), ...Array.from({ length: 1001 - products.length }, (_, i) => `unknown-${i}`)];
    expect((await getProducts(upcs.slice(0, 1000))).products).toHaveLength(products.length);
    const failure = await statusOf(getProducts(upcs));
    expect(failure.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(failure.details).toBe('at most 1000 upcs per call, got 1001');
  });
});

describe('ListTopProducts', () => {
  it('answers the first N products in UPC order', async () => {
    expect((await listTop(3)).products).toEqual(products.slice(0, 3));
    const top = (await listTop(100)).products.map((product) => product.upc);
    expect(top).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
  });

  it.each([0, -1, 101])('refuses first = %i with INVALID_ARGUMENT', async (first) => {
    expect((await statusOf(listTop(first))).code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});

describe('UpdatePrice', () => {
  it('sets the price and returns the updated product; another server keeps its own', async () => {
    const other = await startGrpc(createCatalogServer({ products, logger: log.logger }));
    const otherClient = catalogClient(other.address);
    try {
      const updated = await updatePrice(catalog, '5', 1234);
      expect(updated).toEqual({ ...products[4], price: 1234 });
      expect((await getProducts(['5'])).products[0]?.price).toBe(1234);
      const untouched = await unary<GetProductsResponse__Output>((md, opts, cb) => otherClient.getProducts({ upcs: ['5'] }, md, opts, cb));
      expect(untouched.products[0]).toEqual(products[4]);
      expect(products[4]?.price).not.toBe(1234);
    } finally {
      otherClient.close();
      await other.close();
    }
  });

  it('answers NOT_FOUND for an unknown UPC', async () => {
    const failure = await statusOf(updatePrice(catalog, 'nope', 100));
    expect(failure).toEqual({ code: grpc.status.NOT_FOUND, details: expect.stringContaining('nope') });
  });

  it('answers INVALID_ARGUMENT for a negative price', async () => {
    expect((await statusOf(updatePrice(catalog, '1', -1))).code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});

describe('CallCounters', () => {
  it('counts calls per method (failed ones too), not its own, and resets', async () => {
    await getProducts(['1']);
    await getProducts(['2']);
    await statusOf(getProducts(['x']).then(() => listTop(0)));
    await listTop(1);
    await updatePrice(catalog, '1', 500);
    await getCounts();
    expect((await getCounts()).counts).toEqual({ GetProducts: 3, ListTopProducts: 2, UpdatePrice: 1 });
    await unary((md, opts, cb) => counters.resetCounts({}, md, opts, cb));
    expect((await getCounts()).counts).toEqual({});
  });
});

it('logs the x-request-id metadata at debug level', async () => {
  const metadata = new grpc.Metadata();
  metadata.set('x-request-id', 'req-catalog-1');
  await getProducts(['1'], metadata);
  expect(log.lines()).toContainEqual(expect.objectContaining({ level: 20, requestId: 'req-catalog-1', method: 'GetProducts' }));
});
