import { LRUCache } from 'lru-cache';

// At most this many bytes of document text (each is at most limits.maxDocumentBytes).
const KNOWN_BYTES = 8 * 2 ** 20;

/**
 * The documents the gateway has accepted: within the document limits (`createDocumentLimits`
 * adds them) and not since refused by Apollo Server's parse or validation (the new-document
 * budget forgets those). A repeated document is then neither tokenized again nor counted again as
 * new; one that is not here is work the gateway has not done before. An LRU by size, shared by
 * every client: a legitimate fleet repeats the same few documents, so it stays here however many
 * clients send it, and a flood of documents only pushes out what will count once more.
 */
export interface KnownDocuments {
  has(query: string): boolean;
  add(query: string): void;
  forget(query: string): void;
}

export function createKnownDocuments(maxBytes = KNOWN_BYTES): KnownDocuments {
  const known = new LRUCache<string, true>({ maxSize: maxBytes, sizeCalculation: (_, query) => Math.max(1, query.length) });
  return {
    // `get`, not `has`: a lookup marks the document as used, so that the documents clients keep
    // sending stay and a flood of new ones pushes out only the least recently used (`has` would
    // leave the order as added, and evict a fleet's everyday documents first-in first-out).
    has: (query) => known.get(query) === true,
    add: (query) => void known.set(query, true),
    forget: (query) => void known.delete(query),
  };
}
