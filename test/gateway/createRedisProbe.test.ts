import { describe, expect, it } from 'vitest';
import { createRedisProbe } from '../../gateway/health/createRedisProbe.js';

describe('createRedisProbe', () => {
  it('is reachable when Redis answers PONG', async () => {
    expect(await createRedisProbe({ ping: async () => 'PONG' }, 100)()).toBe('reachable');
  });

  it('says unreachable, without rejecting, when the command is refused (a disconnected client)', async () => {
    expect(await createRedisProbe({ ping: () => Promise.reject(new Error("Stream isn't writeable")) }, 100)()).toBe('unreachable');
  });

  it('gives up on a Redis that never answers', async () => {
    expect(await createRedisProbe({ ping: () => new Promise<'PONG'>(() => undefined) }, 20)()).toBe('no answer within 20 ms');
  });
});
