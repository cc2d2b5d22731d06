/**
 * `await Promise.all(listeners.map(call))`, as Apollo Server runs a hook: each listener's hook
 * called in order, then all of them awaited; a throw stops the calls after it, as there. Without
 * a promise for every listener that has no such hook (most of them, for most hooks).
 */
export function callEach<Item>(items: readonly Item[], call: (item: Item) => unknown): Promise<unknown> | undefined {
  let pending: unknown[] | undefined;
  for (const item of items) {
    const result = call(item);
    if (result !== undefined) (pending ??= []).push(result);
  }
  return pending && Promise.all(pending);
}
