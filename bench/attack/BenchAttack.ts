import type { AttackId } from './attackIds.js';

export type { AttackId };

/** What one attack runs against. */
export interface AttackContext {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** The attacker's own loopback address (the legitimate client uses another). */
  localAddress: string;
  /** Aborted when the measurement is over: stop sending, let what is in flight finish. */
  signal: AbortSignal;
}

/** What the attacker sent and what came back. */
export interface AttackTally {
  requests: number;
  /** Answers by HTTP status, as `"429"`. */
  byStatus: Record<string, number>;
  /** Requests that got no answer (connection refused or reset, timed out). */
  transportErrors: number;
}

export interface BenchAttack {
  id: AttackId;
  /** For the report, as `JWT header injection`. */
  name: string;
  /** One line: what the attacker sends, and how much at once. */
  what: string;
  run(context: AttackContext): Promise<AttackTally>;
}
