/**
 * Counts the calls a backend receives, so tests can prove that the layers above batch and
 * de-duplicate. One counter per server instance: counts never leak between servers.
 */
export interface CallCounter {
  /**
   * Counts one call of an operation (`"GET /users/:id"`, `"GetProducts"`) and, when given,
   * of the concrete resource it asked for (`"GET /users/7"`).
   */
  record(operation: string, resource?: string): void;
  /** Calls per operation since start or the last reset. */
  counts(): Record<string, number>;
  /** Calls per concrete resource since start or the last reset; see `otherResources`. */
  resources(): Record<string, number>;
  reset(): void;
}

export interface CallCounterOptions {
  /** Most distinct resources counted by name (`otherResources` besides). @default 1000 */
  maxResources?: number;
  /** Longest resource counted by name, in characters. @default 1024 */
  maxResourceLength?: number;
}

/**
 * Where calls of resources not counted by name are counted: past `maxResources` distinct ones,
 * or longer than `maxResourceLength`. Resources are what clients ask for (a URL holds their ids),
 * so counting each by name would let any caller grow the counter without end; so bounded, it
 * holds about a megabyte at most.
 */
export const otherResources = '(other)';

export function createCallCounter(options: CallCounterOptions = {}): CallCounter {
  const { maxResources = 1000, maxResourceLength = 1024 } = options;
  let operations = new Map<string, number>();
  let resources = new Map<string, number>();
  const bucketOf = (resource: string) => {
    if (resources.has(resource)) return resource;
    const named = resources.size - (resources.has(otherResources) ? 1 : 0);
    return named < maxResources && resource.length <= maxResourceLength ? resource : otherResources;
  };
  return {
    record(operation, resource) {
      operations.set(operation, (operations.get(operation) ?? 0) + 1);
      if (resource === undefined) return;
      const bucket = bucketOf(resource);
      resources.set(bucket, (resources.get(bucket) ?? 0) + 1);
    },
    counts: () => Object.fromEntries(operations),
    resources: () => Object.fromEntries(resources),
    reset() {
      operations = new Map();
      resources = new Map();
    },
  };
}
