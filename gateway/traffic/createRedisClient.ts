import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../common/createLogger.js';
import { redisOptionsOf } from './redisOptionsOf.js';

/** The gateway's Redis connection: to one node (directly or through Sentinel), or to a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * The one Redis connection a gateway shares between its rate limiter and its APQ store, to one
 * node, to the primary Sentinel names, or to a Redis Cluster (`redisOptionsOf`). It never queues commands while
 * disconnected and gives up on a command after one retry, so that an unreachable Redis (or one
 * failing over) costs a request milliseconds, not a hang (the callers then fail open or closed);
 * it keeps reconnecting in the background and logs each change of state once. A connection that
 * stays open while Redis does not answer (`CLIENT PAUSE`, a stopped process, packets dropped)
 * is no drop ioredis would notice: each command gives up after `commandTimeoutMs` instead, and
 * the callers treat that as an unreachable Redis. A primary that became a replica (after a
 * failover, the old one answers `READONLY`) is left for the new one.
 */
export function createRedisClient(url: string, logger: Logger, commandTimeoutMs: number): RedisClient {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: retryDelay,
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  const target = redisOptionsOf(url);
  const client: RedisClient =
    'cluster' in target
      ? new Cluster(target.cluster.nodes, {
          enableOfflineQueue: false,
          clusterRetryStrategy: options.retryStrategy,
          redisOptions: {
            maxRetriesPerRequest: options.maxRetriesPerRequest,
            commandTimeout: options.commandTimeout,
            connectTimeout: options.connectTimeout,
            ...(target.cluster.username ? { username: target.cluster.username } : {}),
            ...(target.cluster.password ? { password: target.cluster.password } : {}),
            ...(target.cluster.tls ? { tls: {} } : {}),
          },
        })
      : 'url' in target
        ? new Redis(target.url, options)
        : new Redis({ ...options, ...target.options });
  if (client instanceof Redis) reconnectAfterEnd(client);
  let healthy = true;
  client.on('ready', () => {
    if (!healthy) logger.warn({ redis: redact(url) }, 'Redis is reachable again');
    healthy = true;
  });
  client.on('error', (error: Error) => {
    if (healthy) logger.warn({ redis: redact(url), err: error.message }, 'Redis is unreachable');
    healthy = false;
  });
  return client;
}

/** Milliseconds before the next attempt to reach Redis. */
function retryDelay(attempt: number): number {
  return Math.min(attempt * 100, 2_000);
}

/** Clients closed on purpose (`closeRedisClient`): the only ones left ended. */
const closedOnPurpose = new WeakSet<RedisClient>();

/** Closes `client` for good: it is not reconnected once it has ended. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  closedOnPurpose.add(client);
  if (client.status !== 'end') await client.quit().catch(() => client.disconnect());
}

/**
 * ioredis gives up on a connection for good (status `end`) when a connect attempt is cut short,
 * which Sentinel's failover detector does when it sees `+switch-master` while the client is
 * still asking a sentinel for the primary after the old one died: the client then stayed
 * unconnected until the gateway restarted (every request on the `onStoreError` path). A client
 * that ends without having been closed on purpose connects again, after the retry delay.
 */
function reconnectAfterEnd(client: Redis): void {
  let attempt = 0;
  client.on('ready', () => (attempt = 0));
  client.on('end', () => {
    if (closedOnPurpose.has(client)) return;
    attempt += 1;
    const timer = setTimeout(() => {
      if (closedOnPurpose.has(client) || client.status !== 'end') return;
      client.connect().catch(() => {
        // Ends again, and this runs again: the attempt is already logged by the error listener.
      });
    }, retryDelay(attempt));
    timer.unref();
  });
}

/**
 * Resolves once `client` is connected, or after `timeoutMs` (then the gateway starts anyway and
 * fails open or closed per request until Redis answers); never rejects.
 */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}

/** The URL without its passwords, for logs. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@').replace(/([?&]sentinelPassword=)[^&]*/, '$1***');
}
