import { GraphQLError } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createResilience } from '../../../gateway/resilience/createResilience.js';
import type { BreakerState } from '../../../gateway/resilience/createSubgraphBreaker.js';
import type { AttemptOutcome } from '../../../gateway/subgraphRequests/createSubgraphSender.js';

// Subscription upstreams count for a subgraph's circuit breaker as its fetches do (through
// `record`), and only a failure the subgraph caused counts.
const dropped: AttemptOutcome = {
  ok: false,
  failure: { error: new GraphQLError('dropped', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }), retryable: false, health: 'unhealthy' },
};
const callersFault: AttemptOutcome = {
  ok: false,
  failure: { error: new GraphQLError('refused', { extensions: { code: 'SUBGRAPH_ERROR' } }), retryable: false, health: 'unknown' },
};

function setup() {
  const states: BreakerState[] = [];
  let sent = 0;
  const send = createResilience(
    async () => {
      sent += 1;
      return { ok: true, raw: '{"data":{}}' };
    },
    {
      name: 'reviews',
      settings: {
        timeoutMs: 1_000,
        retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 2, budgetPercent: 20, budgetMinPerSecond: 100 },
        breaker: { enabled: true, failureThreshold: 3, resetTimeoutMs: 600_000 },
      },
      logger: pino({ level: 'silent' }),
      onBreakerState: (state) => states.push(state),
    },
  );
  return { send, states, sent: () => sent };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const attempt = { body: '{}', headers: {}, requestId: 'r', deadlineAt: Date.now() + 10_000, traceparent: undefined, signal: undefined };

describe("subscription upstreams and the subgraph's circuit breaker", () => {
  it('opens the breaker after upstreams the subgraph failed, so its fetches fail fast', async () => {
    const { send, states, sent } = setup();
    for (let index = 0; index < 3; index += 1) send.record(dropped);
    await settle();
    expect(states).toEqual(['open']);
    await expect(send(attempt, true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(sent()).toBe(0);
  });

  it("never counts a failure the caller caused, and an upstream accepted counts as the subgraph's success", async () => {
    const { send, states } = setup();
    for (let index = 0; index < 10; index += 1) send.record(callersFault);
    send.record(dropped);
    send.record(dropped);
    // Accepted: the consecutive failures start afresh.
    send.record({ ok: true, raw: '' });
    send.record(dropped);
    send.record(dropped);
    await settle();
    expect(states).toEqual([]);
    await expect(send(attempt, true)).resolves.toBe('{"data":{}}');
  });
});
