import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectStillServing, postRaw } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// In-flight de-duplication (on by default) shares one subgraph answer among identical requests,
// and the executor merges into the answer it gets (step 39: parsed once, copied for each caller
// but the last). These operations all send products the same root fetch, then merge other
// subgraphs' fields, of other types, under the same client-chosen names (prototype members
// among them) into the products it returned: a caller holding another's objects would see
// another operation's values. Each answer, sent among many at once, must be the answer the same
// operation gets alone.

const operations = [
  '{ topProducts(first: 3) { upc x: inStock } }',
  '{ topProducts(first: 3) { upc x: warehouse } }',
  '{ topProducts(first: 3) { upc x: reviews { body } } }',
  '{ topProducts(first: 3) { upc x: reviews { id } __proto__: warehouse } }',
  '{ topProducts(first: 3) { upc __proto__: reviews { body } constructor: inStock } }',
  '{ topProducts(first: 3) { upc constructor: warehouse toString: reviews { id } } }',
] as const;

describe('shared subgraph answers', () => {
  let target: Target;
  const alone = new Map<string, string>();

  beforeAll(async () => {
    target = await startTarget({ mode: 'production', config: { rateLimit: { default: { windowSeconds: 60, limit: 100_000 } } } });
    await vi.waitFor(async () => expect((await postRaw(target, { query: '{ topProducts(first: 1) { upc } }' })).status).toBe(200), {
      timeout: 30_000,
      interval: 500,
    });
    for (const query of operations) {
      const reply = await postRaw(target, { query });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body?.errors).toBeUndefined();
      alone.set(query, JSON.stringify(reply.body));
    }
  }, 120_000);
  afterAll(() => target?.close());

  it('gives every operation sent among many at once the answer it gets alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...operations), { minLength: 4, maxLength: 24 }), async (batch) => {
        const replies = await Promise.all(batch.map((query) => postRaw(target, { query })));
        replies.forEach((reply, index) => {
          expect(reply.status).toBe(200);
          expect(JSON.stringify(reply.body)).toBe(alone.get(batch[index]!));
        });
      }),
      { numRuns: 40 },
    );
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
  }, 120_000);
});
