import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { postRaw } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// A production gateway process with every store in Redis, and a Redis process stopped where it
// stands (SIGSTOP): the kernel keeps its connections open and takes the gateway's commands, and
// nothing answers. Each request must still be answered while Redis is stopped.
describe('a production gateway whose Redis is stopped (SIGSTOP)', () => {
  let redis: RunningRedis;
  let target: Target;
  const query = 'query Frozen { __typename }';
  const hashOnly = { extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } };

  beforeAll(async () => {
    redis = await startRedis();
    target = await startTarget({
      mode: 'production',
      config: {
        redis: { url: redis.url },
        rateLimit: { store: 'redis' },
        persistedQueries: { store: 'redis' },
        operationRecording: { store: 'redis', flushIntervalMs: 500 },
      },
    });
    expect((await postRaw(target, { query: '{ __typename }' })).status).toBe(200);
  });

  afterAll(async () => {
    redis?.thaw();
    await target?.close();
    await redis?.stop();
  });

  it('answers while Redis is stopped, lets requests through (onStoreError: open) and says why in the log', async () => {
    redis.freeze();
    try {
      for (const body of [{ query: '{ __typename }' }, hashOnly, { query: '{ __typename }' }]) {
        // Answered while Redis is stopped: a few lookups of at most redis.commandTimeoutMs (250 ms)
        // each. Without a deadline it waits as long as Redis is stopped (here, until the test times out).
        const reply = await postRaw(target, body);
        expect(reply.status).toBe(200);
        if (body === hashOnly) expect(reply.body?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
        else expect(reply.body?.data).toEqual({ __typename: 'Query' });
      }
      await vi.waitFor(() => expect(target.output()).toContain('rate limit store unreachable'));
    } finally {
      redis.thaw();
    }
    expect(target.alive()).toBe(true);
  });
});
