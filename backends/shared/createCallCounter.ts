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
  /** Calls per concrete resource since start or the last reset. */
  resources(): Record<string, number>;
  reset(): void;
}

export function createCallCounter(): CallCounter {
  let operations = new Map<string, number>();
  let resources = new Map<string, number>();
  return {
    record(operation, resource) {
      operations.set(operation, (operations.get(operation) ?? 0) + 1);
      if (resource !== undefined) resources.set(resource, (resources.get(resource) ?? 0) + 1);
    },
    counts: () => Object.fromEntries(operations),
    resources: () => Object.fromEntries(resources),
    reset() {
      operations = new Map();
      resources = new Map();
    },
  };
}
