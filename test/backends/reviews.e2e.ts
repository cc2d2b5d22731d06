import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../backends/data/generateDemoData.js';
import type { Review } from '../../backends/data/types.js';
import { createReviewsServer } from '../../backends/reviews/server.js';
import { errorOf, postJson, request } from './helpers/http.js';
import { captureLogger, startHttp } from './helpers/startServers.js';

const { reviews } = generateDemoData();
const log = captureLogger();
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url: base, close } = await startHttp(createReviewsServer({ reviews, logger: log.logger })));
});
afterAll(() => close());
beforeEach(async () => {
  expect((await request(`${base}/_admin/counts`, { method: 'DELETE' })).status).toBe(204);
});

const valid = { authorId: '12', productUpc: '34', body: 'Lovely lamp.', rating: 4 };

describe('reads', () => {
  it('GET /reviews/:id answers a review, 404 for an unknown id', async () => {
    expect(await request(`${base}/reviews/10`)).toMatchObject({ status: 200, body: reviews[9] });
    const missing = await request(`${base}/reviews/999999`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
  });

  it("GET /products/:upc/reviews answers the product's reviews in id order", async () => {
    const expected = reviews.filter((review) => review.productUpc === '17');
    expect(expected.length).toBeGreaterThan(1);
    const reply = await request(`${base}/products/17/reviews`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(expected);
  });

  it("GET /users/:id/reviews answers the author's reviews", async () => {
    const expected = reviews.filter((review) => review.authorId === '23');
    expect(expected.length).toBeGreaterThan(1);
    expect(await request(`${base}/users/23/reviews`)).toMatchObject({ status: 200, body: expected });
  });

  it('answers [] when there are none', async () => {
    expect(await request(`${base}/products/no-such-upc/reviews`)).toMatchObject({ status: 200, body: [] });
    expect(await request(`${base}/users/no-such-user/reviews`)).toMatchObject({ status: 200, body: [] });
  });

  it('has no batch endpoint', async () => {
    expect((await request(`${base}/reviews?ids=1,2`)).status).toBe(405);
    expect((await request(`${base}/products/reviews?upcs=1,2`)).status).toBe(404);
  });
});

describe('POST /reviews', () => {
  it('creates a review under a new id', async () => {
    const reply = await postJson(`${base}/reviews`, valid);
    expect(reply.status).toBe(201);
    const created = reply.body as Review;
    expect(created).toEqual({ ...valid, id: String(reviews.length + 1) });
    expect(reply.headers.get('location')).toBe(`/reviews/${created.id}`);
    expect((await request(`${base}/reviews/${created.id}`)).body).toEqual(created);
    expect((await request(`${base}/products/34/reviews`)).body).toContainEqual(created);
    expect((await request(`${base}/users/12/reviews`)).body).toContainEqual(created);
    const second = await postJson(`${base}/reviews`, valid);
    expect((second.body as Review).id).toBe(String(reviews.length + 2));
  });

  it.each([
    ['authorId', { ...valid, authorId: undefined }],
    ['authorId', { ...valid, authorId: 12 }],
    ['productUpc', { ...valid, productUpc: '' }],
    ['body', { ...valid, body: '   ' }],
    ['body', { ...valid, body: 'x'.repeat(2001) }],
    ['rating', { ...valid, rating: 0 }],
    ['rating', { ...valid, rating: 6 }],
    ['rating', { ...valid, rating: 4.5 }],
    ['rating', { ...valid, rating: '5' }],
    ['raiting', { ...valid, raiting: 5 }],
  ])('refuses a bad %s with 400 naming it', async (field, input) => {
    const reply = await postJson(`${base}/reviews`, input);
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining(`'${field}'`) });
  });

  it.each([
    ['malformed JSON', '{"authorId": '],
    ['an array', '[]'],
    ['null', 'null'],
    ['an empty body', ''],
  ])('refuses %s with 400', async (_name, body) => {
    const reply = await postJson(`${base}/reviews`, body);
    expect(reply.status).toBe(400);
    expect(errorOf(reply).code).toBe('BAD_REQUEST');
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded']])('refuses %s with 415', async (type) => {
    const reply = await request(`${base}/reviews`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(valid) });
    expect(reply.status).toBe(415);
    expect(errorOf(reply).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts a charset parameter on the content type', async () => {
    const reply = await postJson(`${base}/reviews`, valid, { 'content-type': 'application/json; charset=utf-8' });
    expect(reply.status).toBe(201);
  });

  it('refuses a body over 64 KiB with 413, and still serves the connection', async () => {
    const reply = await postJson(`${base}/reviews`, { ...valid, body: 'x'.repeat(70 * 1024) });
    expect(reply.status).toBe(413);
    expect(errorOf(reply)).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('65536') });
    expect((await request(`${base}/health`)).status).toBe(200);
  });

  it('refuses a chunked body over 64 KiB with 413 (no Content-Length to check up front)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/reviews`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('accepts a body just under the limit as far as size goes', async () => {
    const reply = await postJson(`${base}/reviews`, { ...valid, body: 'x'.repeat(60 * 1024) });
    // 400 for the body's length rule, not 413: the size limit is 64 KiB, not less.
    expect(reply.status).toBe(400);
    expect(errorOf(reply).message).toContain("'body'");
  });
});

describe('routing and counts', () => {
  it('answers /health, 404 and 405 with Allow', async () => {
    expect((await request(`${base}/health`)).status).toBe(200);
    expect((await request(`${base}/nope`)).status).toBe(404);
    const wrong = await request(`${base}/reviews/1`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    const list = await request(`${base}/reviews`);
    expect(list.status).toBe(405);
    expect(list.headers.get('allow')).toBe('POST');
  });

  it('counts per route and per concrete path, resets on DELETE', async () => {
    await request(`${base}/users/7/reviews`);
    await request(`${base}/users/7/reviews`);
    await request(`${base}/products/3/reviews`);
    await request(`${base}/reviews/1`);
    await postJson(`${base}/reviews`, 'not json');
    await request(`${base}/health`);
    expect((await request(`${base}/_admin/counts`)).body).toEqual({
      counts: { 'GET /users/:id/reviews': 2, 'GET /products/:upc/reviews': 1, 'GET /reviews/:id': 1, 'POST /reviews': 1 },
      paths: { 'GET /users/7/reviews': 2, 'GET /products/3/reviews': 1, 'GET /reviews/1': 1, 'POST /reviews': 1 },
    });
    expect((await request(`${base}/_admin/counts`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(`${base}/_admin/counts`)).body).toEqual({ counts: {}, paths: {} });
  });

  it('logs the x-request-id header at debug level', async () => {
    await request(`${base}/reviews/3`, { headers: { 'x-request-id': 'req-reviews-7' } });
    expect(log.lines()).toContainEqual(expect.objectContaining({ level: 20, requestId: 'req-reviews-7' }));
  });
});

describe('isolation', () => {
  it('a review posted to one server does not show in another built from the same data', async () => {
    const data = generateDemoData();
    const lengthBefore = data.reviews.length;
    const first = await startHttp(createReviewsServer({ reviews: data.reviews, logger: log.logger }));
    const second = await startHttp(createReviewsServer({ reviews: data.reviews, logger: log.logger }));
    try {
      const created = (await postJson(`${first.url}/reviews`, { ...valid, productUpc: '99' })).body as Review;
      expect((await request(`${first.url}/reviews/${created.id}`)).status).toBe(200);
      expect((await request(`${second.url}/reviews/${created.id}`)).status).toBe(404);
      expect((await request(`${second.url}/products/99/reviews`)).body).not.toContainEqual(created);
      expect(data.reviews).toHaveLength(lengthBefore);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
