/**
 * One operation the gateway has executed, as `/operations` on the internal listener serves it
 * (and `portico check` / `portico usage` read it). Every client-chosen string is bounded and
 * cleaned of control characters (see `boundClientText`). The shape is part of the CLI's
 * contract: add fields, never rename one.
 */
export interface RecordedOperation {
  /** SHA-256 (hex) of `document` as recorded (its literals blanked, see `blankLiterals`): not the hash of the text the client sent. */
  hash: string;
  /** The operation name the client sent or the document gave; null for an anonymous one. */
  operationName: string | null;
  /** From the client-name header (`metrics.clientNameHeader`); '' when it sent none; `OTHER_CLIENTS` for the folded record. */
  clientName: string;
  /** From the client-version header (`metrics.clientVersionHeader`); '' when it sent none. */
  clientVersion: string;
  /** The document text, string and number literals blanked; null when it was longer than `operationRecording.maxDocumentBytes`. */
  document: string | null;
  /** When it was last executed (ISO 8601). */
  lastSeen: string;
  /** How many times it was executed while recorded. */
  count: number;
  /**
   * True on the one record per operation that counts every client past
   * `operationRecording.maxClientsPerOperation` (its client name is `OTHER_CLIENTS`).
   */
  otherClients?: true;
}

/** The client name of an operation's folded record: a name, so that reports print it as one. */
export const OTHER_CLIENTS = '(other clients)';

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

type Identity = Pick<OperationSighting, 'hash' | 'operationName' | 'clientName' | 'clientVersion' | 'otherClients'>;

/** The key of one operation, whatever the client (its fields carry no control character, so '\n' cannot collide). */
export function operationKeyOf(sighting: Pick<OperationSighting, 'hash' | 'operationName'>): string {
  return `${sighting.hash}\n${sighting.operationName ?? ''}`;
}

/**
 * The key one distinct operation and client is counted under. The folded record's ends in
 * '\n\0', which no client's can (their names carry no control character), so a client that
 * calls itself `OTHER_CLIENTS` gets a record of its own; the Redis script relies on that ending.
 */
export function keyOf(sighting: Identity): string {
  const operation = operationKeyOf(sighting);
  return sighting.otherClients ? `${operation}\n\0` : `${operation}\n${sighting.clientName}\n${sighting.clientVersion}`;
}

/** The sighting as its operation's folded record counts it: past the cap on distinct clients. */
export function asOtherClients(sighting: OperationSighting): OperationSighting {
  return { ...sighting, clientName: OTHER_CLIENTS, clientVersion: '', otherClients: true };
}

/**
 * The sighting as a store counts it, with its key and operation key: its client's own record
 * when that is known (`isKnown`) or its operation has fewer than `maxClients` client records
 * (`clientsOf`), else folded into the operation's `(other clients)` record.
 */
export function countedAs(
  seen: OperationSighting,
  isKnown: (key: string) => boolean,
  clientsOf: (operation: string) => number,
  maxClients: number,
): { sighting: OperationSighting; key: string; operation: string } {
  const operation = operationKeyOf(seen);
  const key = keyOf(seen);
  if (isKnown(key) || clientsOf(operation) < maxClients) return { sighting: seen, key, operation };
  const folded = asOtherClients(seen);
  return { sighting: folded, key: keyOf(folded), operation };
}
