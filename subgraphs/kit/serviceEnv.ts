/**
 * Reads a subgraph's settings from its environment, refusing bad values at start with the
 * variable's name, its value and what is accepted.
 */
export function serviceEnv(env: NodeJS.ProcessEnv) {
  return {
    /** A URL, http(s) unless other `protocols` are given. */
    url(name: string, fallback: string, protocols: readonly string[] = ['http:', 'https:']): string {
      const value = env[name] || fallback;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new TypeError(`${name} must be a URL such as ${fallback} (got "${value}").`);
      }
      if (!protocols.includes(url.protocol)) {
        throw new TypeError(`${name} must be a ${protocols.join(' or ')} URL such as ${fallback} (got "${value}").`);
      }
      return value;
    },
    /** A gRPC target, `host:port`. */
    address(name: string, fallback: string): string {
      const value = env[name] || fallback;
      if (!/^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i.test(value)) {
        throw new TypeError(`${name} must be host:port such as ${fallback} (got "${value}").`);
      }
      return value;
    },
    /** A whole number of at least `min`. */
    int(name: string, fallback: number, min = 1): number {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min) {
        throw new TypeError(`${name} must be an integer of at least ${min} (got "${raw}").`);
      }
      return value;
    },
  };
}
