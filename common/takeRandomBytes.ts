import { randomBytes } from 'node:crypto';

// Drawn from the system a few kilobytes at a time: a `randomBytes` call per use (a span id on
// every request, a nonce on every subgraph request) is a system call each, and cost more than
// what the bytes are for (2 % of the gateway's CPU under load for the nonces alone,
// docs/performance.md). The same CSPRNG bytes, taken in turn; each is handed out once.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` cryptographically random bytes (at most 4096), as a view of a shared pool: copy or
 * encode them before the next call, which may reuse the memory.
 */
export function takeRandomBytes(bytes: number): Buffer {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += bytes;
  return pool.subarray(offset - bytes, offset);
}
