import fc from 'fast-check';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { prepareOperation } from '../../../subgraphs/kit/streaming/prepareOperation.js';
import { acceptsEventStream } from '../../../subgraphs/kit/streaming/serveSse.js';
import { acceptsMultipartSubscription } from '../../../subgraphs/kit/streaming/serveMultipart.js';
import { parseReviewRecord } from '../../../subgraphs/reviews/reviewEvents.js';

const schema = buildSubgraphSchema({
  typeDefs: parse('type Query { a: Int } type Subscription { ticks(from: Int): Int }'),
  resolvers: {},
});

describe('prepareOperation', () => {
  it('never throws, and refuses anything but a valid operation with a code', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ query: fc.string(), variables: fc.anything(), operationName: fc.anything() })), (params) => {
        const prepared = prepareOperation(schema, params);
        if (!prepared.ok) for (const error of prepared.errors) expect(typeof error.extensions.code).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('knows a subscription, and bounds the tokens it parses', () => {
    const ready = prepareOperation(schema, { query: 'subscription($n: Int) { ticks(from: $n) }', variables: { n: 1 } });
    expect(ready).toMatchObject({ ok: true, operation: 'subscription' });
    const huge = prepareOperation(schema, { query: `{ ${'a '.repeat(20_000)} }` });
    expect(huge).toMatchObject({ ok: false, errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
    expect(prepareOperation(schema, { query: '{ nope }' })).toMatchObject({ ok: false, errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });
});

describe('transport negotiation', () => {
  it('takes SSE and multipart subscriptions by their Accept values', () => {
    expect(acceptsEventStream('text/event-stream')).toBe(true);
    expect(acceptsEventStream('application/json, text/event-stream;q=0.9')).toBe(true);
    expect(acceptsEventStream('application/json')).toBe(false);
    expect(acceptsEventStream(undefined)).toBe(false);
    expect(acceptsMultipartSubscription('multipart/mixed;subscriptionSpec="1.0", application/json')).toBe(true);
    expect(acceptsMultipartSubscription('multipart/mixed; subscriptionSpec=1.0')).toBe(true);
    // Apollo Client's Accept for @defer is not a subscription's.
    expect(acceptsMultipartSubscription('multipart/mixed;deferSpec=20220824,application/json')).toBe(false);
  });
});

describe('parseReviewRecord', () => {
  it('takes exactly a review, and keeps only its fields', () => {
    const review = { id: '1', body: 'b', rating: 3, authorId: '2', productUpc: '3' };
    expect(parseReviewRecord({ ...review, extra: 'x' })).toEqual(review);
    expect(parseReviewRecord(JSON.parse('{"__proto__": {"id": "1"}}'))).toBeUndefined();
    fc.assert(
      fc.property(fc.anything(), (value) => {
        parseReviewRecord(value);
      }),
    );
  });
});
