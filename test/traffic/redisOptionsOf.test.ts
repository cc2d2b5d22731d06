import { describe, expect, it } from 'vitest';
import { redisOptionsOf } from '../../gateway/traffic/redisOptionsOf.js';

describe('redisOptionsOf', () => {
  it('passes a single-node URL to ioredis as it is', () => {
    expect(redisOptionsOf('redis://user:secret@redis:6379/2')).toEqual({ url: 'redis://user:secret@redis:6379/2' });
    expect(redisOptionsOf('rediss://redis:6380')).toEqual({ url: 'rediss://redis:6380' });
  });

  it('reads sentinels, the primary name, the database and passwords from a Sentinel URL', () => {
    expect(redisOptionsOf('redis+sentinel://app:p%40ss@s1:26379,s2:26380,[::1]:26381/my-primary/3')).toEqual({
      options: {
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
          { host: '::1', port: 26381 },
        ],
        name: 'my-primary',
        db: 3,
        username: 'app',
        password: 'p@ss',
        sentinelPassword: 'p@ss',
        failoverDetector: true,
      },
    });
  });

  it("takes the sentinels' own password from ?sentinelPassword=, and TLS from rediss+sentinel", () => {
    expect(redisOptionsOf('rediss+sentinel://:nodes@s1:26379/primary?sentinelPassword=watchers')).toMatchObject({
      options: { password: 'nodes', sentinelPassword: 'watchers', tls: {}, enableTLSForSentinelMode: true },
    });
  });

  it('reads the nodes and password of a Cluster URL', () => {
    expect(redisOptionsOf('rediss+cluster://:secret@n1:6379,n2:6380')).toEqual({
      cluster: {
        nodes: [
          { host: 'n1', port: 6379 },
          { host: 'n2', port: 6380 },
        ],
        password: 'secret',
        tls: true,
      },
    });
    expect(() => redisOptionsOf('redis+cluster://n1:6379/primary')).toThrow(/a Cluster URL is redis\+cluster:\/\//);
    expect(() => redisOptionsOf('redis+cluster://n1')).toThrow(/cluster node "n1" is not host:port/);
  });

  it('says what a Sentinel URL must look like when it is not one', () => {
    expect(() => redisOptionsOf('redis+sentinel://s1:26379')).toThrow(/redis\+sentinel:\/\/\[user:password@\]host:port/);
    expect(() => redisOptionsOf('redis+sentinel://s1/primary')).toThrow(/sentinel address "s1" is not host:port/);
  });
});
