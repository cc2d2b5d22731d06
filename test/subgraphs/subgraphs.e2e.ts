import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { encodeIdentity } from '../../common/identityHeader.js';
import { signRequest } from '../../common/signing/signRequest.js';
import { postSigned, type SignedAs } from '../support/startStack.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs } from '../support/startSubgraphs.js';

// The subgraphs called directly, as the gateway calls them: entity lookups, identity, errors.
let backends: DemoBackends;
let subgraphs: RunningSubgraphs;

beforeAll(async () => {
  backends = await startDemoBackends();
  subgraphs = await startSubgraphs(backends);
});
afterAll(async () => {
  await subgraphs?.close();
  await backends?.close();
});
beforeEach(() => backends.resetCounts());

// The subgraphs answer only signed requests, as in production, each signed for its subgraph.
const nameOf = (url: string) => Object.entries(subgraphs.urls).find(([, at]) => at === url)?.[0] ?? 'accounts';
const post = (url: string, query: string, variables?: Record<string, unknown>, identity?: SignedAs['identity']) =>
  postSigned(url, query, variables, { audience: nameOf(url), identity });

const userEntities = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id name } } }';

describe('accounts', () => {
  it('resolves many user references with one call to the users service', async () => {
    const representations = Array.from({ length: 150 }, (_, index) => ({ __typename: 'User', id: String((index % 120) + 1) }));
    const reply = await post(subgraphs.urls.accounts, userEntities, { representations });
    expect(reply.errors).toBeUndefined();
    const users = reply.data!._entities as Array<{ id: string; name: string }>;
    expect(users).toHaveLength(150);
    expect(users[0]).toEqual({ id: '1', name: backends.data.users[0]!.name });
    // 120 distinct ids, at most 100 a call.
    expect((await backends.counts()).users).toEqual({ 'GET /users': 2 });
  });

  it('answers an unknown user reference with null', async () => {
    const reply = await post(subgraphs.urls.accounts, userEntities, { representations: [{ __typename: 'User', id: 'nobody' }] });
    expect(reply.data!._entities).toEqual([null]);
  });

  it('knows the caller from the identity header, and no one without it', async () => {
    const query = '{ me { id username } }';
    expect((await post(subgraphs.urls.accounts, query)).data).toEqual({ me: null });
    const signedIn = await post(subgraphs.urls.accounts, query, undefined, { sub: '7' });
    expect(signedIn.data).toEqual({ me: { id: '7', username: backends.data.users[6]!.username } });
  });

  it('refuses users(first:) outside 1..500 with BAD_USER_INPUT', async () => {
    const reply = await post(subgraphs.urls.accounts, '{ users(first: 501) { id } }');
    expect(reply.errors?.[0]).toMatchObject({ message: 'first must be from 1 to 500 (got 501).', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('lists as many users as it is configured to, when the users service has them', async () => {
    const more = await startDemoBackends({ data: { userCount: 1000 }, usersListLimit: 1000 });
    const wide = await startSubgraphs(more, { usersListLimit: 1000 });
    try {
      const reply = await post(wide.urls.accounts, '{ users(first: 1000) { id } }');
      expect(reply.errors).toBeUndefined();
      expect((reply.data!.users as unknown[]).length).toBe(1000);
      const over = await post(wide.urls.accounts, '{ users(first: 1001) { id } }');
      expect(over.errors?.[0]).toMatchObject({ message: 'first must be from 1 to 1000 (got 1001).', extensions: { code: 'BAD_USER_INPUT' } });
    } finally {
      await wide.close();
      await more.close();
    }
  });

  it('echoes the request id it was given and passes it to the backend', async () => {
    const reply = await postSigned(subgraphs.urls.accounts, '{ user(id: "1") { id } }', undefined, {
      audience: 'accounts',
      headers: { 'x-request-id': 'trace-me-1' },
    });
    expect(reply.headers.get('x-request-id')).toBe('trace-me-1');
  });
});

describe('products', () => {
  it('lists top products and refuses a bad first', async () => {
    const reply = await post(subgraphs.urls.products, '{ topProducts(first: 3) { upc name price } }');
    expect(reply.data!.topProducts).toEqual(backends.data.products.slice(0, 3).map(({ upc, name, price }) => ({ upc, name, price })));
    const bad = await post(subgraphs.urls.products, '{ topProducts(first: 0) { upc } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('updates a price and reports an unknown UPC as NOT_FOUND from the catalog', async () => {
    const mutation = 'mutation($upc: String!, $price: Int!) { updateProductPrice(upc: $upc, price: $price) { upc price } }';
    expect((await post(subgraphs.urls.products, mutation, { upc: '1', price: 4242 })).data).toEqual({ updateProductPrice: { upc: '1', price: 4242 } });
    const missing = await post(subgraphs.urls.products, mutation, { upc: 'nope', price: 1 });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', backend: 'catalog' });
    const negative = await post(subgraphs.urls.products, mutation, { upc: '1', price: -1 });
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', backend: 'catalog' });
  });

  it('refuses to update the price of a UPC no loader would send, without calling the catalog', async () => {
    const mutation = 'mutation($upc: String!) { updateProductPrice(upc: $upc, price: 1) { upc } }';
    for (const upc of ['9'.repeat(257), '1\ud800']) {
      const refused = await post(subgraphs.urls.products, mutation, { upc });
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^upc: /), extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect((await backends.counts()).catalog).toEqual({});
  });
});

describe('inventory', () => {
  it('computes stock and shipping from @requires fields with one GetStock call', async () => {
    const products = backends.data.products.slice(0, 20);
    const representations = products.map(({ upc, price, weight }) => ({ __typename: 'Product', upc, price, weight }));
    const reply = await post(
      subgraphs.urls.inventory,
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { upc inStock shippingEstimate } } }',
      { representations },
    );
    expect(reply.errors).toBeUndefined();
    const stock = new Map(backends.data.stock.map((level) => [level.upc, level]));
    expect(reply.data!._entities).toEqual(
      products.map(({ upc, price, weight }) => ({ upc, inStock: stock.get(upc)!.inStock, shippingEstimate: price >= 100_000 ? 0 : Math.ceil(weight / 2) })),
    );
    expect((await backends.counts()).inventory).toEqual({ GetStock: 1 });
  });
});

describe('reviews', () => {
  it("fetches each product's reviews once however often it is referenced", async () => {
    const representations = ['1', '2', '1', '3', '2'].map((upc) => ({ __typename: 'Product', upc }));
    const reply = await post(
      subgraphs.urls.reviews,
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { upc reviews { id author { id } } } } }',
      { representations },
    );
    expect(reply.errors).toBeUndefined();
    const paths = (await backends.counts()).reviewsPaths;
    expect(paths).toEqual({ 'GET /products/1/reviews': 1, 'GET /products/2/reviews': 1, 'GET /products/3/reviews': 1 });
  });

  it('writes a review as the caller, and refuses an anonymous one', async () => {
    const mutation = 'mutation($input: CreateReviewInput!) { createReview(input: $input) { id body rating author { id } product { upc } } }';
    const input = { productUpc: '5', body: 'Sturdy and quiet.', rating: 4 };
    const anonymous = await post(subgraphs.urls.reviews, mutation, { input });
    expect(anonymous.errors?.[0]).toMatchObject({ message: 'Sign in to write a review.', extensions: { code: 'UNAUTHENTICATED' } });
    const created = await post(subgraphs.urls.reviews, mutation, { input }, { sub: '3' });
    expect(created.data!.createReview).toMatchObject({ body: 'Sturdy and quiet.', rating: 4, author: { id: '3' }, product: { upc: '5' } });
    const badRating = await post(subgraphs.urls.reviews, mutation, { input: { ...input, rating: 9 } }, { sub: '3' });
    expect(badRating.errors?.[0]).toMatchObject({ message: 'input.rating must be from 1 to 5 (got 9).', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses a review of a UPC no loader would send, without calling the reviews service', async () => {
    const mutation = 'mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }';
    for (const productUpc of ['9'.repeat(257), '1\udc00']) {
      const refused = await post(subgraphs.urls.reviews, mutation, { input: { productUpc, body: 'x', rating: 5 } }, { sub: '3' });
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^input\.productUpc: /), extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect((await backends.counts()).reviews).toEqual({});
  });

  it('never sends "", "." or ".." as a path segment: such a review is null, and the reviews of such a product or user fail alone with NOT_FOUND', async () => {
    const reply = await post(
      subgraphs.urls.reviews,
      `query($representations: [_Any!]!) {
        review(id: "..") { id }
        _entities(representations: $representations) { ... on Product { reviews { id } } ... on User { reviews { id } } }
      }`,
      {
        representations: [
          { __typename: 'Product', upc: '..' },
          { __typename: 'User', id: '.' },
          { __typename: 'Product', upc: '1' },
        ],
      },
    );
    expect(reply.data?.review).toBeNull();
    const [product, user, known] = reply.data!._entities as Array<{ reviews: unknown[] | null }>;
    expect([product?.reviews, user?.reviews]).toEqual([null, null]);
    expect(known?.reviews?.length).toBeGreaterThan(0);
    expect(reply.errors?.map((error) => [error.path, error.extensions?.code]).sort()).toEqual([
      [['_entities', 0, 'reviews'], 'NOT_FOUND'],
      [['_entities', 1, 'reviews'], 'NOT_FOUND'],
    ]);
    expect((await backends.counts()).reviewsPaths).toEqual({ 'GET /products/1/reviews': 1 });
  });

  it('answers an unknown review with null', async () => {
    expect((await post(subgraphs.urls.reviews, '{ review(id: "999999") { id } }')).data).toEqual({ review: null });
  });
});

describe('the subgraph HTTP surface', () => {
  it('answers a signed body that is not JSON with 400 BAD_REQUEST', async () => {
    const body = '{"query":';
    const path = new URL(subgraphs.urls.accounts).pathname;
    const signed = signRequest(testSigningSecret, { method: 'POST', path, audience: 'accounts', body, headers: {} });
    const response = await fetch(subgraphs.urls.accounts, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body });
    expect(response.status).toBe(400);
    const reply = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(reply.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(reply.errors[0]!.message).toMatch(/^The request body is not valid JSON/);
  });

  it('answers /health and 404s elsewhere', async () => {
    const base = subgraphs.urls.accounts.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('NOT_FOUND');
  });
});

describe('requests that did not come from the gateway', () => {
  const query = JSON.stringify({ query: '{ me { id email } }' });
  const path = () => new URL(subgraphs.urls.accounts).pathname;
  const identity = { 'x-portico-identity': encodeIdentity({ sub: '42', scopes: [], claims: {} }) };

  async function send(headers: Record<string, string>, body = query) {
    const response = await fetch(subgraphs.urls.accounts, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const reply = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    return { status: response.status, reply };
  }

  async function refused(headers: Record<string, string>, reason: RegExp, body = query) {
    const { status, reply } = await send(headers, body);
    expect(status).toBe(401);
    expect(reply.data).toBeUndefined();
    expect(reply.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(reply.errors[0]!.message).toMatch(reason);
    expect((await backends.counts()).users).toEqual({});
  }

  it('refuses an unsigned request, even one that claims an identity', async () => {
    await refused(identity, /the request is not signed by the gateway/);
  });

  it('refuses a request signed with another secret', async () => {
    const forged = signRequest('some-other-secret-0123456789', { method: 'POST', path: path(), body: query, audience: 'accounts', headers: identity });
    await refused({ ...identity, ...forged }, /the signature does not match the request/);
  });

  it('refuses a signed request whose identity was changed on the way', async () => {
    const signed = signRequest(testSigningSecret, { method: 'POST', path: path(), body: query, audience: 'accounts', headers: identity });
    await refused(
      { ...identity, ...signed, 'x-portico-identity': encodeIdentity({ sub: '1', scopes: [], claims: {} }) },
      /the signature does not match the request/,
    );
  });

  it('refuses a signed request whose body was changed on the way', async () => {
    const signed = signRequest(testSigningSecret, { method: 'POST', path: path(), body: query, audience: 'accounts', headers: identity });
    await refused({ ...identity, ...signed }, /the body length is not the signed one/, JSON.stringify({ query: '{ users(first: 500) { email } }' }));
    // The same length, other bytes: the digest tells. (Signed anew: the nonce above is spent.)
    const again = signRequest(testSigningSecret, { method: 'POST', path: path(), body: query, audience: 'accounts', headers: identity });
    await refused({ ...identity, ...again }, /the body is not the signed one/, query.replace('email', 'EMAIL'));
  });

  it('refuses a signed request replayed after the signature window', async () => {
    const old = signRequest(testSigningSecret, {
      method: 'POST',
      path: path(),
      body: query,
      audience: 'accounts',
      headers: identity,
      now: Date.now() - 5 * 60_000,
    });
    await refused({ ...identity, ...old }, /the signature is stale \(300 s; at most 60 s allowed\)/);
  });

  it('refuses a signature dated in the future', async () => {
    const early = signRequest(testSigningSecret, {
      method: 'POST',
      path: path(),
      body: query,
      audience: 'accounts',
      headers: identity,
      now: Date.now() + 5 * 60_000,
    });
    await refused({ ...identity, ...early }, /the signature is from the future/);
  });

  it('answers the same request when it is signed', async () => {
    const signed = signRequest(testSigningSecret, { method: 'POST', path: path(), body: query, audience: 'accounts', headers: identity });
    const { status, reply } = await send({ ...identity, ...signed });
    expect(status).toBe(200);
    expect(reply.data).toEqual({ me: { id: '42', email: backends.data.users[41]!.email } });
  });
});

describe('a subgraph in development', () => {
  it('answers an unsigned request, as anonymous whatever identity headers it carries', async () => {
    const development = await startSubgraphs(backends, { development: true, requireSignature: false });
    try {
      const response = await fetch(development.urls.accounts, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portico-identity': encodeIdentity({ sub: '1', scopes: [], claims: {} }) },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    } finally {
      await development.close();
    }
  });
});
