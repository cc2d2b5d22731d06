import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for `redis.url`: a single node (`redis://` or `rediss://`, as ioredis reads
 * them), or a primary found through Redis Sentinel:
 * `redis+sentinel://[user:password@]host:port[,host:port…]/<primary name>[/<db>]`, where the
 * password is the Redis nodes' (and the sentinels' too, unless `?sentinelPassword=` gives theirs)
 * and `rediss+sentinel://` speaks TLS to the nodes. Throws a `TypeError` that says what is wrong.
 */
export function redisOptionsOf(url: string): { url: string } | { options: RedisOptions } {
  const sentinel = /^(rediss?)\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]+)\/([^/?]+)(?:\/(\d+))?\/?(?:\?(.*))?$/.exec(url);
  if (!sentinel) {
    if (/^rediss?\+sentinel:/.test(url)) {
      throw new TypeError('redis.url: a Sentinel URL is redis+sentinel://[user:password@]host:port[,host:port…]/<primary name>[/<db>]');
    }
    return { url };
  }
  const [, scheme, username, password, hosts, name, db, query] = sentinel;
  const sentinels = hosts!.split(',').map((address) => {
    const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
    if (!match) throw new TypeError(`redis.url: sentinel address "${address}" is not host:port`);
    return { host: match[1]!, port: Number(match[2]) };
  });
  const sentinelPassword = new URLSearchParams(query ?? '').get('sentinelPassword');
  const decodedPassword = password ? decodeURIComponent(password) : undefined;
  return {
    options: {
      sentinels,
      name: decodeURIComponent(name!),
      ...(db ? { db: Number(db) } : {}),
      ...(username ? { username: decodeURIComponent(username) } : {}),
      ...(decodedPassword ? { password: decodedPassword } : {}),
      ...(sentinelPassword ? { sentinelPassword } : decodedPassword ? { sentinelPassword: decodedPassword } : {}),
      ...(scheme === 'rediss' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      // Sentinel tells the client of a new primary at once, rather than on its next reconnection.
      failoverDetector: true,
    },
  };
}
