import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';
import { attackConcurrency } from './attackConcurrency.js';

const body = JSON.stringify({ query: 'query P($s: Boolean = true) { __proto__: user(id: "1") @skip(if: $s) { n: email } }' });

/** Issue 15, item 2: an alias `__proto__` on a field authorization removes, skipped by a defaulted variable. */
export const prototypePollution: BenchAttack = {
  id: 'prototype-pollution',
  name: 'Prototype pollution',
  what: `anonymous \`__proto__: user(id: "1") @skip(if: $s) { n: email }\` with \`$s\` defaulted to true, ${attackConcurrency} in flight`,
  run: (context) => floodRequests(context, { concurrency: attackConcurrency, next: () => ({ body }) }),
};
