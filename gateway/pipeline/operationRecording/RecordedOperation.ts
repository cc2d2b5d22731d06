/**
 * One operation the gateway has executed, as `/operations` on the internal listener serves it
 * (and `portico check` / `portico usage` read it). Every client-chosen string is bounded and
 * cleaned of control characters (see `boundClientText`). The shape is part of the CLI's
 * contract: add fields, never rename one.
 */
export interface RecordedOperation {
  /** SHA-256 (hex) of the document text, as Apollo Server hashes it. */
  hash: string;
  /** The operation name the client sent or the document gave; null for an anonymous one. */
  operationName: string | null;
  /** From the client-name header (`metrics.clientNameHeader`); '' when it sent none. */
  clientName: string;
  /** From the client-version header (`metrics.clientVersionHeader`); '' when it sent none. */
  clientVersion: string;
  /** The document text; null when it was longer than `operationRecording.maxDocumentBytes`. */
  document: string | null;
  /** When it was last executed (ISO 8601). */
  lastSeen: string;
  /** How many times it was executed while recorded. */
  count: number;
}

/** What one request reports: the operation without its tallies. */
export type OperationSighting = Omit<RecordedOperation, 'lastSeen' | 'count'> & { seenAt: number };

/** Where the recorded operations are kept: this process's memory, or Redis for every replica. */
export interface OperationStore {
  /** Called on the request path: must not wait on anything nor throw. */
  record(sighting: OperationSighting): void;
  /** Every recorded operation, the most recently seen first. */
  list(): Promise<RecordedOperation[]>;
  /** Writes what is pending (Redis) and stops its timer. */
  close(): Promise<void>;
}

/** The key one distinct operation is counted under (its fields carry no control character, so '\n' cannot collide). */
export function keyOf(sighting: Pick<OperationSighting, 'hash' | 'operationName' | 'clientName' | 'clientVersion'>): string {
  return `${sighting.hash}\n${sighting.operationName ?? ''}\n${sighting.clientName}\n${sighting.clientVersion}`;
}
