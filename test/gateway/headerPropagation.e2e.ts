import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentSecrets } from '../../common/developmentSecrets.js';
import { mintToken } from '../../cli/token/mintToken.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';

// What reaches a subgraph: only the client headers a rule lets through, the verified identity
// (never the client's claim to one), and the raw token only when configured.
let shop: Shop;
let gateway: RunningGateway;
let forwarding: RunningGateway;
const query = { query: '{ topProducts(first: 1) { name reviews { body } } }' };
const token = mintToken({ subject: '7', scopes: ['a', 'b'], claims: { tenant: 'acme', role: 'staff' }, secret: developmentSecrets.jwt, expiresInSeconds: 300 });
const client = {
  authorization: `Bearer ${token}`,
  'x-tenant': 'acme',
  'x-old': 'legacy-value',
  'x-feature-dark-mode': 'on',
  'x-unlisted': 'stays home',
  'accept-language': 'fr',
  'x-portico-identity': '{"sub":"admin","scopes":["admin"],"claims":{}}',
};

beforeAll(async () => {
  shop = await startShop();
  const rules = {
    all: [{ propagate: 'x-tenant' }, { propagate: 'x-old', rename: 'x-new' }, { matching: '^x-feature-' }, { set: 'x-source', value: 'portico' }],
    subgraphs: { reviews: [{ propagate: 'accept-language' }] },
  };
  const common = { mode: 'development', supergraph: { path: shop.supergraphPath }, headers: rules };
  gateway = await startGateway(shop.dir, 'headers', { ...common, authentication: { forwardClaims: ['tenant'] } });
  forwarding = await startGateway(shop.dir, 'forwarding', { ...common, authentication: { forwardToken: true } });
});
afterAll(async () => {
  await gateway?.stop();
  await forwarding?.stop();
  await shop?.stop();
});

async function headersSeen(target: RunningGateway) {
  const products = shop.products.headers.length;
  const reviews = shop.reviews.headers.length;
  const { body } = await postGraphQL(target.origin, query, client);
  expect(body.errors).toBeUndefined();
  return { products: shop.products.headers[products]!, reviews: shop.reviews.headers[reviews]! };
}

describe('header rules', () => {
  it('pass on what the rules allow, renamed or set, and nothing else', async () => {
    const { products, reviews } = await headersSeen(gateway);
    for (const seen of [products, reviews]) {
      expect(seen['x-tenant']).toBe('acme');
      expect(seen['x-new']).toBe('legacy-value');
      expect(seen['x-old']).toBeUndefined();
      expect(seen['x-feature-dark-mode']).toBe('on');
      expect(seen['x-source']).toBe('portico');
      expect(seen['x-unlisted']).toBeUndefined();
      expect(seen.authorization).toBeUndefined();
    }
    expect(reviews['accept-language']).toBe('fr');
    expect(products['accept-language']).not.toBe('fr');
  });

  it('send the verified identity, signed, whatever identity the client claims', async () => {
    const { products } = await headersSeen(gateway);
    expect(products['x-portico-identity']).toBe('{"sub":"7","scopes":["a","b"],"claims":{"tenant":"acme"}}');
    expect(products['x-portico-signature']).toMatch(/^v2=[0-9a-f]{64}$/);
    expect(Number(products['x-portico-timestamp'])).toBeGreaterThan(0);
    expect(products['x-portico-nonce']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(products['x-portico-body-digest']).toMatch(/^sha256=[A-Za-z0-9_-]{43};length=\d+$/);
  });

  it('forward the raw token only when authentication.forwardToken is on', async () => {
    const { products } = await headersSeen(forwarding);
    expect(products.authorization).toBe(`Bearer ${token}`);
  });
});
