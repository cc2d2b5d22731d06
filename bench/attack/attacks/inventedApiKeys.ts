import { randomBytes } from 'node:crypto';
import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';
import { attackConcurrency } from './attackConcurrency.js';

// Estimated at about 4,200 (under the default demandControl.maxCost of 5,000); answers ~230 KB.
const body = JSON.stringify({ query: '{ users(first: 200) { name reviews { body product { name price } } } }' });

/** Issue 15, item 5: a fresh random `x-api-key` per request, each asking for an expensive query. */
export const inventedApiKeys: BenchAttack = {
  id: 'invented-api-keys',
  name: 'Invented API keys',
  what: `a random \`x-api-key\` per request, each an expensive \`users(first: 200)\` query, ${attackConcurrency} in flight`,
  run: (context) =>
    floodRequests(context, {
      concurrency: attackConcurrency,
      next: () => ({ body, headers: { 'x-api-key': randomBytes(12).toString('hex') } }),
    }),
};
