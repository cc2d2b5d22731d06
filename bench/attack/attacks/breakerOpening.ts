import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';
import { signJwt } from '../signJwt.js';
import { attackJwtSecret } from '../attackJwtSecret.js';
import { attackConcurrency } from './attackConcurrency.js';
import { validityClaims } from '../validityClaims.js';

// A real, validly signed token, as an identity provider issues for a user named in Japanese.
const token = signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: '山田太郎', ...validityClaims() }, attackJwtSecret);
// Reaches the products subgraph, which the legitimate client's query needs too.
const body = JSON.stringify({ query: '{ topProducts(first: 1) { upc name } }' });

/** Issue 15, item 3: one signed-in caller whose `sub` is outside Latin-1 (identity header refused upstream). */
export const breakerOpening: BenchAttack = {
  id: 'breaker-opening',
  name: 'Non-Latin-1 token subject',
  what: `a valid token whose \`sub\` is \`山田太郎\`, querying the products subgraph, ${attackConcurrency} in flight`,
  run: (context) => floodRequests(context, { concurrency: attackConcurrency, next: () => ({ body, headers: { authorization: `Bearer ${token}` } }) }),
};
