import { countedAs, operationKeyOf, type OperationSighting, type OperationStore, type RecordedOperation } from './RecordedOperation.js';

export interface MemoryOperationStoreOptions {
  maxOperations: number;
  maxClientsPerOperation: number;
}

interface Tally {
  sighting: OperationSighting;
  count: number;
}

/**
 * The operations this process has executed: at most `maxOperations` distinct ones. Past that,
 * the least used goes first (the fewest requests, then the least recently seen), not merely the
 * least recent: a flood of one-shot documents (each also charged to the new-document budget)
 * then pushes out its own kind, never an operation real clients run again and again. Each
 * operation keeps at most `maxClientsPerOperation` client names and versions (chosen freely by
 * the client); further ones are counted in its one `OTHER_CLIENTS` record, so that naming one
 * document a thousand ways makes at most that many records. Documents are kept once per hash,
 * for as long as a record holds them.
 */
export function createMemoryOperationStore({ maxOperations, maxClientsPerOperation }: MemoryOperationStoreOptions): OperationStore {
  const tallies = new Map<string, Tally>();
  // Keys by count; each set in the order its members reached that count, which is the order
  // they were last seen in: the first key of the lowest count is the one to evict, in O(1).
  const byCount = new Map<number, Set<string>>();
  let fewest = 1;
  const clients = new Map<string, number>();
  const documents = new Map<string, { text: string | null; holders: number }>();

  const place = (key: string, count: number): void => {
    const bucket = byCount.get(count);
    if (bucket) bucket.add(key);
    else byCount.set(count, new Set([key]));
  };
  const unplace = (key: string, count: number): boolean => {
    const bucket = byCount.get(count)!;
    bucket.delete(key);
    if (bucket.size > 0) return false;
    byCount.delete(count);
    return true;
  };
  const evictLeastUsed = (): void => {
    const key = byCount.get(fewest)!.values().next().value!;
    const { sighting } = tallies.get(key)!;
    unplace(key, fewest);
    tallies.delete(key);
    if (!sighting.otherClients) {
      const operation = operationKeyOf(sighting);
      const left = clients.get(operation)! - 1;
      if (left === 0) clients.delete(operation);
      else clients.set(operation, left);
    }
    const document = documents.get(sighting.hash)!;
    document.holders -= 1;
    if (document.holders === 0) documents.delete(sighting.hash);
  };

  return {
    record(seen) {
      const { sighting, key, operation } = countedAs(
        seen,
        (counted) => tallies.has(counted),
        (of) => clients.get(of) ?? 0,
        maxClientsPerOperation,
      );
      const known = tallies.get(key);
      // The document lives in `documents`; the tally keeps only what is its own.
      const lean = { ...sighting, document: null };
      if (known) {
        if (unplace(key, known.count) && fewest === known.count) fewest = known.count + 1;
        known.count += 1;
        known.sighting = lean;
        place(key, known.count);
        // Moved to the end: the map's order is the order the operations were last seen in.
        tallies.delete(key);
        tallies.set(key, known);
        return;
      }
      if (tallies.size >= maxOperations) evictLeastUsed();
      tallies.set(key, { sighting: lean, count: 1 });
      place(key, 1);
      fewest = 1;
      if (!sighting.otherClients) clients.set(operation, (clients.get(operation) ?? 0) + 1);
      const document = documents.get(sighting.hash);
      if (document) document.holders += 1;
      else documents.set(sighting.hash, { text: sighting.document, holders: 1 });
    },
    async list() {
      return [...tallies.values()].reverse().map(({ sighting, count }) => toRecorded(sighting, count, documents.get(sighting.hash)?.text ?? null));
    },
    async close() {},
  };
}

function toRecorded({ seenAt, ...sighting }: OperationSighting, count: number, document: string | null): RecordedOperation {
  return { ...sighting, document, lastSeen: new Date(seenAt).toISOString(), count };
}
