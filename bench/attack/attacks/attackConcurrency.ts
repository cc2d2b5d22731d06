/**
 * Requests an attacker keeps in flight: enough to keep a one-core gateway busy (it answers
 * requests one at a time), few enough that the load generator's own CPU stays mostly free for the
 * legitimate client and the subgraphs it shares that CPU with.
 */
export const attackConcurrency = 32;
