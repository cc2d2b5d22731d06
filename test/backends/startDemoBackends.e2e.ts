import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoBackends, startDemoBackends } from '../support/startDemoBackends.js';
import { catalogClient, inventoryClient, statusOf, unary } from './helpers/grpcClients.js';
import { postJson, request } from './helpers/http.js';

describe('startDemoBackends', () => {
  let backends: DemoBackends;
  beforeAll(async () => {
    backends = await startDemoBackends();
  });
  afterAll(() => backends.close());

  it('starts all four with the default data and counts nothing yet', async () => {
    expect(backends.data.users).toHaveLength(500);
    expect(backends.usersUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(backends.catalogAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await backends.counts()).toEqual({
      users: {},
      reviews: {},
      catalog: {},
      inventory: {},
      usersPaths: {},
      reviewsPaths: {},
    });
  });

  it('counts calls on every backend through the real admin routes and CallCounters, and resets', async () => {
    await request(`${backends.usersUrl}/users?ids=1,2`);
    await request(`${backends.reviewsUrl}/users/7/reviews`);
    await request(`${backends.reviewsUrl}/users/7/reviews`);
    const catalog = catalogClient(backends.catalogAddress);
    const inventory = inventoryClient(backends.inventoryAddress);
    try {
      await unary((md, opts, cb) => catalog.getProducts({ upcs: ['1'] }, md, opts, cb));
      await unary((md, opts, cb) => inventory.getStock({ upcs: ['1'] }, md, opts, cb));
      await unary((md, opts, cb) => inventory.getStock({ upcs: ['2'] }, md, opts, cb));
    } finally {
      catalog.close();
      inventory.close();
    }
    expect(await backends.counts()).toEqual({
      users: { 'GET /users': 1 },
      reviews: { 'GET /users/:id/reviews': 2 },
      catalog: { GetProducts: 1 },
      inventory: { GetStock: 2 },
      usersPaths: { 'GET /users?ids=1,2': 1 },
      reviewsPaths: { 'GET /users/7/reviews': 2 },
    });
    await backends.resetCounts();
    const after = await backends.counts();
    expect([after.users, after.reviews, after.catalog, after.inventory, after.reviewsPaths]).toEqual([{}, {}, {}, {}, {}]);
  });
});

describe('stop and close', () => {
  it('stops one backend, leaves the others up, and closes twice without error', async () => {
    const backends = await startDemoBackends();
    try {
      await backends.stop('users');
      await backends.stop('catalog');
      await backends.stop('users');
      await expect(request(`${backends.usersUrl}/health`)).rejects.toThrow();
      const catalog = catalogClient(backends.catalogAddress);
      try {
        const failure = await statusOf(unary((md, opts, cb) => catalog.getProducts({ upcs: ['1'] }, md, opts, cb)));
        expect(failure.code).toBe(grpc.status.UNAVAILABLE);
      } finally {
        catalog.close();
      }
      expect((await request(`${backends.reviewsUrl}/health`)).status).toBe(200);
      const counts = await backends.counts();
      expect([counts.users, counts.catalog]).toEqual([{}, {}]);
    } finally {
      await backends.close();
      await backends.close();
    }
    await expect(request(`${backends.reviewsUrl}/health`)).rejects.toThrow();
  });

  it('gives each start its own data: a POST in one does not show in another', async () => {
    const [a, b] = await Promise.all([startDemoBackends(), startDemoBackends()]);
    try {
      const review = { authorId: '1', productUpc: '2', body: 'Only in A.', rating: 5 };
      const created = await postJson(`${a.reviewsUrl}/reviews`, review);
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      expect((await request(`${a.reviewsUrl}/reviews/${id}`)).status).toBe(200);
      expect((await request(`${b.reviewsUrl}/reviews/${id}`)).status).toBe(404);
      expect(b.data.reviews).toHaveLength(5000);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
