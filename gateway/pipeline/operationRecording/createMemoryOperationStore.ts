import { LRUCache } from 'lru-cache';
import { keyOf, type OperationSighting, type OperationStore, type RecordedOperation } from './RecordedOperation.js';

interface Tally {
  sighting: OperationSighting;
  count: number;
}

/**
 * The operations this process has executed: an LRU of at most `maxOperations` distinct ones
 * (the least recently seen go first). Documents are kept once per hash, in an LRU of the same
 * size, so that a thousand clients sending one document hold one copy of its text.
 */
export function createMemoryOperationStore(maxOperations: number): OperationStore {
  const tallies = new LRUCache<string, Tally>({ max: maxOperations });
  const documents = new LRUCache<string, string>({ max: maxOperations });
  return {
    record(sighting) {
      const key = keyOf(sighting);
      const known = tallies.get(key);
      // `get`, not `has`: it marks the document as used, as `tallies.set` marks the operation, so
      // that the documents of operations still being seen are not the first to go.
      if (sighting.document !== null && documents.get(sighting.hash) === undefined) documents.set(sighting.hash, sighting.document);
      // The document lives in `documents`; the tally keeps only what is its own.
      const lean = { ...sighting, document: null };
      tallies.set(key, { sighting: lean, count: (known?.count ?? 0) + 1 });
    },
    async list() {
      const operations: RecordedOperation[] = [];
      // An LRUCache iterates from the most recently used.
      for (const { sighting, count } of tallies.values()) operations.push(toRecorded(sighting, count, documents.get(sighting.hash) ?? null));
      return operations;
    },
    async close() {},
  };
}

function toRecorded({ seenAt, ...sighting }: OperationSighting, count: number, document: string | null): RecordedOperation {
  return { ...sighting, document, lastSeen: new Date(seenAt).toISOString(), count };
}
