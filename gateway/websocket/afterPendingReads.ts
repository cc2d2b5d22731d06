/**
 * Runs `decide` once the event loop has read what the sockets have waiting. A timer of a busy
 * gateway fires late, before the loop reads the sockets again: the client's `connection_init` or
 * pong may be waiting unread, and the gateway's own lag must not count as the client's silence.
 * (Timers run before the loop polls for I/O; an immediate runs after.)
 */
export function afterPendingReads(decide: () => void): void {
  setImmediate(decide);
}
