/** What one request of a load run got back. */
export interface LoadReply<T> {
  /** Which phase of the test it was sent in (the value of `phase()` when it was sent). */
  phase: string;
  /** The phase when the reply arrived: a request sent just before a change may see it. */
  answeredIn: string;
  reply: T;
}

export interface Load<T> {
  replies: LoadReply<T>[];
  /** Replies sent and answered in this phase so far. */
  count(phase: string): number;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export interface LoadOptions<T> {
  /** Requests in flight at once. */
  concurrency: number;
  /** A bound, so that a test that goes wrong cannot run away: the run stops after this many. */
  maxRequests: number;
  /** The label put on each reply: tests move it along as they break and mend things. */
  phase: () => string;
  send: () => Promise<T>;
  /**
   * The least time between two sends of one loop. Without it a phase where the gateway refuses
   * at once (a few hundred microseconds a reply) burns through `maxRequests` in seconds.
   */
  minIntervalMs?: number;
}

/**
 * Constant load for failure tests: `concurrency` loops, each sending one request after the other
 * (to 127.0.0.1 only), until stopped or `maxRequests` is reached. A request that throws (a
 * refused or dropped connection) is recorded as the error, never retried.
 */
export function runLoad<T>(options: LoadOptions<T>): Load<T | Error> {
  const replies: LoadReply<T | Error>[] = [];
  let sent = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped && sent < options.maxRequests) {
      sent += 1;
      const phase = options.phase();
      const startedAt = Date.now();
      const reply = await options.send().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      replies.push({ phase, answeredIn: options.phase(), reply });
      const rest = (options.minIntervalMs ?? 0) - (Date.now() - startedAt);
      if (rest > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  };
  const loops = Array.from({ length: options.concurrency }, loop);
  return {
    replies,
    count: (phase) => replies.filter((reply) => reply.phase === phase && reply.answeredIn === phase).length,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}
