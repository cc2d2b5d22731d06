/** A mistake in how `portico check` or `portico usage` was called (unknown subgraph, unreadable file, invalid SDL): exit 2, not 1. */
export class CheckUsageError extends Error {}
