import { postGraphQL, startStack } from '../test/support/startStack.js';
import type { BackendCallsResult } from './report/BenchResults.js';

/** The list sizes asked for. */
export const backendCallsListSizes = [10, 100, 500, 1000] as const;

/** The query, with `$first` the list size. */
export const backendCallsQuery = 'query ($first: Int!) { users(first: $first) { name reviews { product { upc name inStock } } } }';

interface UsersAnswer {
  users: Array<{ reviews: Array<{ product: { upc: string } | null }> | null }> | null;
}

/**
 * On the demo stack (its real REST and gRPC backends, its four subgraphs, the gateway in
 * production mode), one query per list size, counting the calls each backend receives. The demo
 * has 500 users and lists at most 500 at once: the backends start with twice its data (1,000
 * users, 10,000 reviews, the same 500 products) and list up to 1,000. Demand control would refuse
 * the larger sizes (cost 21 per user), so `demandControl.maxCost` and the cost budget are raised;
 * nothing else is changed.
 */
export async function measureBackendCalls(): Promise<BackendCallsResult[]> {
  const stack = await startStack({
    mode: 'production',
    backends: { data: { userCount: 1000, reviewCount: 10_000 }, usersListLimit: 1000 },
    config: {
      demandControl: { maxCost: 1_000_000 },
      rateLimit: { cost: { windowSeconds: 60, budget: 1_000_000_000 } },
    },
  });
  try {
    const results: BackendCallsResult[] = [];
    for (const listSize of backendCallsListSizes) {
      await stack.backends.resetCounts();
      const reply = await postGraphQL(stack.url, backendCallsQuery, { first: listSize });
      if (reply.status !== 200 || reply.errors?.length || !reply.data) {
        results.push({ listSize, problem: reply.errors?.[0]?.message ?? `HTTP ${reply.status}` });
        continue;
      }
      const counts = await stack.backends.counts();
      const sum = (calls: Record<string, number>) => Object.values(calls).reduce((total, n) => total + n, 0);
      const calls = { users: sum(counts.users), reviews: sum(counts.reviews), catalog: sum(counts.catalog), inventory: sum(counts.inventory) };
      results.push({
        listSize,
        items: itemsOf(reply.data as unknown as UsersAnswer),
        calls: { ...calls, total: calls.users + calls.reviews + calls.catalog + calls.inventory },
      });
    }
    return results;
  } finally {
    await stack.close();
  }
}

function itemsOf(answer: UsersAnswer): NonNullable<BackendCallsResult['items']> {
  const users = answer.users ?? [];
  const reviews = users.flatMap((user) => user.reviews ?? []);
  const products = new Set(reviews.flatMap((review) => (review.product ? [review.product.upc] : [])));
  return { users: users.length, reviews: reviews.length, products: products.size };
}
