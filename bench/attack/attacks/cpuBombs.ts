import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';

/** 1 MiB bodies take CPU, not connections: a few in flight are enough. */
const concurrency = 8;

/** Just under the default 1 MiB body limit, so that the body is read and parsed. */
function nestedVariablesBody(): string {
  const query = 'query Q($v: [Int]) { __typename }';
  const depth = Math.floor((1024 * 1024 - query.length - 64) / 2);
  return `{"query":${JSON.stringify(query)},"variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

/** 20 levels of fragments, each spreading the previous one twice: 2^20 spreads once expanded. */
function fragmentBombBody(): string {
  const fragments = ['fragment F0 on Query { __typename }'];
  for (let level = 1; level <= 20; level += 1) fragments.push(`fragment F${level} on Query { ...F${level - 1} ...F${level - 1} }`);
  return JSON.stringify({ query: `query Bomb { ...F20 } ${fragments.join(' ')}` });
}

/** Issue 15, item 7: 1 MiB of `[[[…]]]` in `variables`, and a fragment bomb, alternately. */
export const cpuBombs: BenchAttack = {
  id: 'cpu-bombs',
  name: 'Nested variables and fragment bomb',
  what: `1 MiB \`[[[…]]]\` variables and a 20-level fragment bomb, alternately, ${concurrency} in flight`,
  run(context) {
    const bodies = [nestedVariablesBody(), fragmentBombBody()];
    return floodRequests(context, { concurrency, next: (n) => ({ body: bodies[n % 2]! }) });
  },
};
