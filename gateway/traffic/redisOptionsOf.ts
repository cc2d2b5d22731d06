import type { ClusterNode, RedisOptions } from 'ioredis';

/** What `redis.url` names: one node, a primary behind Sentinel, or a Redis Cluster. */
export type RedisTarget =
  | { url: string }
  | { options: RedisOptions }
  | { cluster: { nodes: ClusterNode[]; username?: string; password?: string; tls: boolean } };

/**
 * ioredis options for `redis.url`: a single node (`redis://` or `rediss://`, as ioredis reads
 * them), or a primary found through Redis Sentinel:
 * `redis+sentinel://[user:password@]host:port[,host:port…]/<primary name>[/<db>]`, where the
 * password is the Redis nodes' (and the sentinels' too, unless `?sentinelPassword=` gives theirs)
 * and `rediss+sentinel://` speaks TLS to the nodes; or a Redis Cluster, from any of its nodes:
 * `redis+cluster://[user:password@]host:port[,host:port…]` (`rediss+cluster://` for TLS).
 * Throws a `TypeError` that says what is wrong.
 */
export function redisOptionsOf(url: string): RedisTarget {
  const cluster = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]+)\/?$/.exec(url);
  if (cluster) {
    const [, scheme, username, password, hosts] = cluster;
    return {
      cluster: {
        nodes: addressesOf(hosts!, 'cluster node'),
        ...(username ? { username: decodeURIComponent(username) } : {}),
        ...(password ? { password: decodeURIComponent(password) } : {}),
        tls: scheme === 'rediss',
      },
    };
  }
  if (/^rediss?\+cluster:/.test(url)) throw new TypeError('redis.url: a Cluster URL is redis+cluster://[user:password@]host:port[,host:port…]');
  const sentinel = /^(rediss?)\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]+)\/([^/?]+)(?:\/(\d+))?\/?(?:\?(.*))?$/.exec(url);
  if (!sentinel) {
    if (/^rediss?\+sentinel:/.test(url)) {
      throw new TypeError('redis.url: a Sentinel URL is redis+sentinel://[user:password@]host:port[,host:port…]/<primary name>[/<db>]');
    }
    return { url };
  }
  const [, scheme, username, password, hosts, name, db, query] = sentinel;
  const sentinels = addressesOf(hosts!, 'sentinel address');
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

/** `host:port[,host:port…]` (IPv6 in brackets) as ioredis takes them. */
function addressesOf(list: string, what: string): Array<{ host: string; port: number }> {
  return list.split(',').map((address) => {
    const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
    if (!match) throw new TypeError(`redis.url: ${what} "${address}" is not host:port`);
    return { host: match[1]!, port: Number(match[2]) };
  });
}
