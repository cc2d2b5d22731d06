import { randomBytes } from 'node:crypto';
import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';
import { signJwt } from '../signJwt.js';
import { attackConcurrency } from './attackConcurrency.js';
import { validityClaims } from '../validityClaims.js';

const query = JSON.stringify({ query: '{ topProducts(first: 1) { upc } }' });
const invalidQueries = ['{ topProducts(first: 1) { upc ', '{ noSuchField }', '{ topProducts(first: "x") { upc } }'].map((text) =>
  JSON.stringify({ query: text }),
);

/** Issue 15, item 5: requests that fail authentication or validation, which no limit used to count. */
export const refusedFlood: BenchAttack = {
  id: 'refused-flood',
  name: 'Invalid tokens and invalid queries',
  what: `tokens signed with a wrong secret and invalid operations, alternately, ${attackConcurrency} in flight`,
  run: (context) =>
    floodRequests(context, {
      concurrency: attackConcurrency,
      next: (n) =>
        n % 2 === 0
          ? {
              body: query,
              headers: {
                authorization: `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: `u${n}`, ...validityClaims() }, randomBytes(16).toString('hex'))}`,
              },
            }
          : { body: invalidQueries[(n >> 1) % invalidQueries.length]! },
    }),
};
