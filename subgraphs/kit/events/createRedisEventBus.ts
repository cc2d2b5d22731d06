import { Redis } from 'ioredis';
import type { Logger } from '../../../common/createLogger.js';
import { createLocalFanOut } from './createMemoryEventBus.js';
import type { EventBus } from './EventBus.js';

export interface RedisEventBusOptions<T> {
  url: string;
  /** The pub/sub channel, e.g. `portico:events:reviews:reviewAdded`. */
  channel: string;
  /**
   * The event a message holds, or undefined when it is not one: the channel is shared with
   * every replica (and anything else that can reach Redis), so each message is checked.
   */
  parse(value: unknown): T | undefined;
  logger: Logger;
  /** Events buffered per subscriber. @default 1000 */
  capacity?: number;
  /**
   * Largest message read, in bytes; a longer one is logged and skipped before it is parsed.
   * @default 65536
   */
  maxMessageBytes?: number;
}

/**
 * Events shared by every replica of a subgraph through Redis pub/sub: `publish` sends on the
 * command connection; a second connection (a subscribed connection can send nothing else)
 * receives every message of the channel, the replica's own included, and hands it to the local
 * subscribers. A message that is too long, not JSON or not an event is logged and skipped.
 * While Redis is unreachable, `publish` rejects (within 2 s) and nothing is received; ioredis
 * reconnects and subscribes again by itself.
 */
export interface RedisEventBus<T> extends EventBus<T> {
  /** Settles once the channel is first subscribed (rejects if that failed): tests and start-up logs wait on it. */
  subscribed: Promise<void>;
}

export function createRedisEventBus<T>(options: RedisEventBusOptions<T>): RedisEventBus<T> {
  const { channel, logger } = options;
  const maxMessageBytes = options.maxMessageBytes ?? 65_536;
  const connection = {
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
  };
  const commands = new Redis(options.url, connection);
  // A subscribed connection has no command to time out; it only needs to come back.
  const subscriber = new Redis(options.url, { connectTimeout: 2_000, retryStrategy: connection.retryStrategy });
  // Failures reach publish's callers; without a listener ioredis would log every reconnection.
  commands.on('error', () => {});
  subscriber.on('error', (error: Error) => logger.debug({ err: error, channel }, 'event subscriber connection error'));
  const local = createLocalFanOut<T>(options.capacity);

  subscriber.on('messageBuffer', (from: Buffer, message: Buffer) => {
    if (from.toString() !== channel) return;
    const event = readMessage(message);
    if (event === undefined) return;
    local.deliver(event);
  });
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch((error: unknown) => logger.error({ err: error, channel }, 'cannot subscribe to the event channel'));

  // Never throws: a bad message is one line in the log, not a dead replica.
  function readMessage(message: Buffer): T | undefined {
    if (message.byteLength > maxMessageBytes) {
      logger.warn({ channel, bytes: message.byteLength, maxMessageBytes }, 'skipped an event message longer than the limit');
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(message.toString('utf8'));
    } catch {
      logger.warn({ channel, bytes: message.byteLength }, 'skipped an event message that is not JSON');
      return undefined;
    }
    let event: T | undefined;
    try {
      event = options.parse(value);
    } catch {
      event = undefined;
    }
    if (event === undefined) logger.warn({ channel }, 'skipped an event message that is not an event of this channel');
    return event;
  }

  return {
    subscribed,
    async publish(event) {
      await commands.publish(channel, JSON.stringify(event));
    },
    subscribe: local.subscribe,
    async close() {
      local.endAll();
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}
