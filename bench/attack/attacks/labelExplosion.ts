import { randomBytes } from 'node:crypto';
import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';
import { attackConcurrency } from './attackConcurrency.js';

/** The 20,000 invented names, and then some. */
const maxRequests = 50_000;

/** Issue 15, item 6: a new operation name and client name and version per request (metric label explosion). */
export const labelExplosion: BenchAttack = {
  id: 'label-explosion',
  name: 'Invented operation and client names',
  what: `a new operation name, client name and client version per request (at most ${maxRequests.toLocaleString('en-US')}), ${attackConcurrency} in flight`,
  run: (context) =>
    floodRequests(context, {
      concurrency: attackConcurrency,
      maxRequests,
      next: (n) => {
        const name = `Op${n}_${randomBytes(6).toString('hex')}`;
        return {
          body: JSON.stringify({ query: `query ${name} { __typename }`, operationName: name }),
          headers: {
            'apollographql-client-name': `client-${randomBytes(6).toString('hex')}`,
            'apollographql-client-version': `${n}.${randomBytes(3).toString('hex')}`,
          },
        };
      },
    }),
};
