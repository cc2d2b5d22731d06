import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing, postRaw } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

/**
 * The fast path (gateway/http/fastPath/), attacked: single JSON POSTs of documents the gateway
 * has already validated, with generated variables, operation names, extensions and Accept
 * headers, against a real gateway process in production. Never a 5xx, a refusal is a 4xx with a
 * code and no stack, the process stays up and serves another client.
 * (test/gateway/http/fastPathEquivalence.e2e.ts shows the answers are Apollo Server's.)
 */

let target: Target;
const documents = [
  'query A($n: Int, $s: String) { topProducts(first: $n) { upc name } echo: __typename s2: __typename @include(if: true) } query B { __typename }',
  'query C($n: Int!) { __proto__: topProducts(first: $n) { constructor: upc toString: name } }',
];

beforeAll(async () => {
  target = await startTarget({ mode: 'production' });
  // Apollo Server validates each document once; from then on the fast path takes them.
  for (const query of documents) await postRaw(target, { query, operationName: query.startsWith('query A') ? 'B' : undefined, variables: { n: 1 } });
}, 120_000);

afterAll(async () => {
  await target?.close();
});

describe('the fast path, attacked', () => {
  it('answers generated variables, names, extensions and Accept headers without a 5xx', async () => {
    const body = fc.record(
      {
        query: fc.constantFrom(...documents),
        operationName: fc.oneof(fc.constantFrom('A', 'B', 'C', '__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 40 }), fc.constant(null)),
        variables: fc.oneof(
          fc.dictionary(fc.constantFrom('n', 's', '__proto__', 'constructor', 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        extensions: fc.oneof(
          fc.dictionary(
            fc.string({ maxLength: 12 }).filter((key) => key !== 'persistedQuery'),
            fc.jsonValue({ maxDepth: 2 }),
            { maxKeys: 3 },
          ),
          fc.constant(null),
        ),
      },
      { requiredKeys: ['query'] },
    );
    const accept = fc.constantFrom(
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
    );
    await fc.assert(
      fc.asyncProperty(body, accept, async (generated, acceptHeader) => {
        const reply = await postRaw(target, generated, acceptHeader === undefined ? {} : { accept: acceptHeader });
        expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(500);
        if (reply.status >= 400) expectRefused(reply);
        else expect(reply.body?.data !== undefined || reply.body?.errors !== undefined, JSON.stringify(reply.body)).toBe(true);
        expect(JSON.stringify(reply.body)).not.toMatch(/\n\s+at |stacktrace/);
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });
});
