import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';
import { asError } from './asError.js';
import type { BatchLimits } from './BatchLimits.js';
import { defaultMaxKeyLength, unsendableKey } from './unsendableKey.js';

export interface BatchLoaderOptions<K, V> extends BatchLimits<K> {
  /**
   * Fetches the values for distinct keys, within `BatchLimits`. The answer may be in any order
   * and may leave out keys the backend does not know.
   */
  fetch: (keys: readonly K[]) => Promise<readonly V[]>;
  /** The key a fetched value answers. */
  keyOf: (value: V) => K;
  /**
   * Longest string key sent to the backend; a longer one fails alone with BAD_USER_INPUT.
   * @default 256
   */
  maxKeyLength?: number;
}

/**
 * A per-request loader over a batch endpoint: every key asked for in one tick goes to the
 * backend in as few calls as its limits allow, each key once. A key the backend left out, or
 * one a call cannot carry, resolves to null; a key too long to send, or not Unicode, fails
 * alone. One caller's key never fails another's: when the backend refuses a call as the
 * caller's fault (BAD_USER_INPUT), its keys are asked for again in halves until the refused key
 * is alone, within a budget of about 2·log₂ n more calls for a call of n keys (enough for one
 * refused key; past it the keys still refused fail together); any other failure fails the keys
 * of that call only.
 */
export function createBatchLoader<K, V>(options: BatchLoaderOptions<K, V>): DataLoader<K, V | null> {
  const { maxBatchSize, fetch, keyOf, maxKeyLength = defaultMaxKeyLength, carries = () => true, keyBytes, maxBatchBytes } = options;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new TypeError(`maxBatchSize must be a positive integer (got ${String(maxBatchSize)}).`);
  }
  if ((keyBytes === undefined) !== (maxBatchBytes === undefined)) {
    throw new TypeError('keyBytes and maxBatchBytes go together: set both, or neither.');
  }
  if (maxBatchBytes !== undefined && (!Number.isInteger(maxBatchBytes) || maxBatchBytes < 1)) {
    throw new TypeError(`maxBatchBytes must be a positive integer (got ${String(maxBatchBytes)}).`);
  }
  const bytesOf = keyBytes ?? (() => 0);
  const budget = maxBatchBytes ?? Number.POSITIVE_INFINITY;

  return new DataLoader<K, V | null>(async (keys) => {
    const answers = new Map<K, V | Error | null>();
    const sent: K[] = [];
    for (const key of keys) {
      const refusal = unsendableKey(key, maxKeyLength) ?? tooLargeAlone(bytesOf(key), budget);
      if (refusal) answers.set(key, refusal);
      else if (!carries(key)) answers.set(key, null);
      else sent.push(key);
    }
    const found = new Map<K, V>();
    const failed = new Map<K, Error>();
    // `spare`: the calls a planned call may still add by halving, shared by its halves.
    const ask = async (call: readonly K[], spare: { calls: number }): Promise<void> => {
      try {
        for (const value of await fetch(call)) found.set(keyOf(value), value);
      } catch (error) {
        if (call.length > 1 && isRefusal(error) && spare.calls >= 2) {
          spare.calls -= 2;
          const half = Math.ceil(call.length / 2);
          await Promise.all([ask(call.slice(0, half), spare), ask(call.slice(half), spare)]);
        } else {
          for (const key of call) failed.set(key, asError(error));
        }
      }
    };
    await Promise.all(planCalls(sent, maxBatchSize, bytesOf, budget).map((call) => ask(call, { calls: halvingCallsFor(call.length) })));
    return keys.map((key) => (answers.has(key) ? answers.get(key)! : (failed.get(key) ?? found.get(key) ?? null)));
  });
}

// Enough halving to find one refused key among `keys` (two calls a level), and one level more: a
// backend that refuses every call (a version it does not understand) gets a few more calls per
// batch, not twice as many as there are keys.
function halvingCallsFor(keys: number): number {
  return 2 * Math.ceil(Math.log2(Math.max(keys, 1))) + 2;
}

// Splits keys, in order, into calls of at most `maxSize` keys and `budget` bytes of keys.
function planCalls<K>(keys: readonly K[], maxSize: number, bytesOf: (key: K) => number, budget: number): K[][] {
  const calls: K[][] = [];
  let current: K[] = [];
  let bytes = 0;
  for (const key of keys) {
    const size = bytesOf(key);
    if (current.length === maxSize || bytes + size > budget) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(key);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

// The refusal of a key that no call can carry, being over the byte budget on its own.
function tooLargeAlone(bytes: number, budget: number): GraphQLError | undefined {
  if (bytes <= budget) return undefined;
  return new GraphQLError(`An id that needs ${bytes} bytes cannot be sent: one call carries at most ${budget}.`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, maxBytes: budget },
  });
}

// Whether the backend refused a call as the caller's fault, which one key can cause.
function isRefusal(error: unknown): boolean {
  return error instanceof GraphQLError && error.extensions.code === ErrorCode.BAD_USER_INPUT;
}
