import { GraphQLError } from 'graphql';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RetryConfig } from '../../../gateway/config/GatewayConfig.js';
import type { SubgraphFailure } from '../../../gateway/resilience/classifySubgraphFailure.js';
import { createResilience } from '../../../gateway/resilience/createResilience.js';
import type { BreakerState } from '../../../gateway/resilience/createSubgraphBreaker.js';
import type { Attempt, AttemptOutcome } from '../../../gateway/subgraphRequests/createSubgraphSender.js';

// The resilience layer in front of a fake send layer that answers from a script.
afterEach(() => {
  vi.restoreAllMocks();
});

const failure = (code: string, retryable: boolean, health: SubgraphFailure['health']): AttemptOutcome => ({
  ok: false,
  failure: { error: new GraphQLError(code, { extensions: { code, serviceName: 'products' } }), retryable, health },
});
const unavailable = failure('SUBGRAPH_UNAVAILABLE', true, 'unhealthy');
const answered: AttemptOutcome = { ok: true, raw: '{"data":{}}' };

function setup(options: { retry?: Partial<RetryConfig>; failureThreshold?: number; script?: (n: number, attempt: Attempt) => AttemptOutcome } = {}) {
  const sent: Attempt[] = [];
  const retries: number[] = [];
  const states: BreakerState[] = [];
  const send = createResilience(
    async (attempt) => {
      sent.push(attempt);
      return (options.script ?? (() => unavailable))(sent.length, attempt);
    },
    {
      name: 'products',
      settings: {
        timeoutMs: 1_000,
        retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2, budgetPercent: 20, budgetMinPerSecond: 100, ...options.retry },
        breaker: { enabled: options.failureThreshold !== undefined, failureThreshold: options.failureThreshold ?? 1, resetTimeoutMs: 600_000 },
      },
      logger: pino({ level: 'silent' }),
      onRetry: () => retries.push(sent.length),
      onBreakerState: (state) => states.push(state),
    },
  );
  return { send, sent, retries, states };
}
const attemptOf = (overrides: Partial<Attempt> = {}): Attempt => ({
  body: '{}',
  headers: {},
  requestId: 'req-1',
  deadlineAt: Date.now() + 10_000,
  traceparent: undefined,
  signal: undefined,
  ...overrides,
});

describe('createResilience', () => {
  it('answers with the body of the first attempt that succeeds', async () => {
    const { send, sent, retries } = setup({ script: (n) => (n < 3 ? unavailable : answered) });
    expect(await send(attemptOf(), true)).toBe('{"data":{}}');
    expect(sent).toHaveLength(3);
    expect(retries).toEqual([1, 2]);
  });

  it('retries a retryable failure up to maxRetries, then rejects with its error', async () => {
    const { send, sent, retries } = setup({ retry: { maxRetries: 3 } });
    await expect(send(attemptOf(), true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' } });
    expect(sent).toHaveLength(4);
    expect(retries).toHaveLength(3);
  });

  it('never retries a request that may not be sent twice (a mutation), nor a failure not worth it', async () => {
    const mutation = setup();
    await expect(mutation.send(attemptOf(), false)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(mutation.sent).toHaveLength(1);
    const timeout = setup({ script: () => failure('SUBGRAPH_TIMEOUT', false, 'unhealthy') });
    await expect(timeout.send(attemptOf(), true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    expect(timeout.sent).toHaveLength(1);
    expect([...mutation.retries, ...timeout.retries]).toEqual([]);
  });

  it('draws each backoff at random below initialDelayMs doubled per retry, capped at maxDelayMs', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const delays: number[] = [];
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return real(fn, 0);
    }) as typeof setTimeout);
    const { send } = setup({ retry: { maxRetries: 4, initialDelayMs: 100, maxDelayMs: 300 } });
    await expect(send(attemptOf(), true)).rejects.toThrow();
    // Only the backoffs wait (there is no other timer between attempts).
    expect(delays.filter((ms) => ms > 0)).toEqual([50, 100, 150, 150]);
  });

  it('makes no retry whose backoff would outlive the request, and lets the budget keep it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const { send, sent, retries } = setup({ retry: { initialDelayMs: 10_000, maxDelayMs: 10_000, budgetMinPerSecond: 0, budgetPercent: 10 } });
    await expect(send(attemptOf({ deadlineAt: Date.now() + 5_000 }), true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(sent).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('stops retrying when the retry budget is spent', async () => {
    // 0 per second and 50% of the requests made: the first earns half a retry, the second a whole one.
    const { send, sent, retries } = setup({ retry: { maxRetries: 5, budgetMinPerSecond: 0, budgetPercent: 50 } });
    await expect(send(attemptOf(), true)).rejects.toThrow();
    await expect(send(attemptOf(), true)).rejects.toThrow();
    await expect(send(attemptOf(), true)).rejects.toThrow();
    expect(sent).toHaveLength(4);
    expect(retries).toEqual([2]);
  });

  it('a client that left during the backoff gets its abort, and no further attempt is made', async () => {
    const controller = new AbortController();
    const { send, sent, retries } = setup({
      retry: { initialDelayMs: 50, maxDelayMs: 50 },
      script: () => {
        controller.abort();
        return unavailable;
      },
    });
    await expect(send(attemptOf({ signal: controller.signal }), true)).rejects.toMatchObject({
      extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'products' },
    });
    expect(sent).toHaveLength(1);
    expect(retries).toEqual([1]);
  });

  it('stops waiting out a backoff the moment its client leaves', async () => {
    const controller = new AbortController();
    const { send, sent } = setup({ retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const sending = send(attemptOf({ signal: controller.signal, deadlineAt: Date.now() + 600_000 }), true);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    controller.abort();
    // Within a minute-long backoff: the abort, not the end of the wait, settles it.
    const outcome = await Promise.race([
      sending.then(
        () => 'answered',
        () => 'refused',
      ),
      new Promise((resolve) => setTimeout(resolve, 2_000, 'still waiting')),
    ]);
    expect(outcome).toBe('refused');
    expect(sent).toHaveLength(1);
  });

  it('fails fast behind an open breaker, without an attempt or a retry, and reports its state', async () => {
    const { send, sent, retries, states } = setup({ failureThreshold: 2, retry: { maxRetries: 5 } });
    // The second attempt opens the circuit; the retry after it meets the open breaker.
    await expect(send(attemptOf(), true)).rejects.toThrow('its circuit breaker is open');
    expect(sent).toHaveLength(2);
    expect(retries).toEqual([1, 2]);
    expect(states).toEqual(['open']);
    await expect(send(attemptOf(), true)).rejects.toThrow('its circuit breaker is open');
    expect(sent).toHaveLength(2);
  });

  it('feeds the breaker only failures the subgraph caused', async () => {
    const { send, sent, states } = setup({ failureThreshold: 1, script: (n) => (n <= 5 ? failure('SUBGRAPH_TIMEOUT', false, 'unknown') : answered) });
    for (let i = 0; i < 5; i += 1) await expect(send(attemptOf(), true)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    expect(await send(attemptOf(), true)).toBe('{"data":{}}');
    expect(sent).toHaveLength(6);
    expect(states).toEqual([]);
  });
});
