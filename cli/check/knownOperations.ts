import { relative } from 'node:path';
import { Kind, parse } from 'graphql';
import { boundClientText } from '../../gateway/pipeline/operationRecording/boundClientText.js';
import type { RecordedOperation } from '../../gateway/pipeline/operationRecording/RecordedOperation.js';
import { readManifest } from '../../gateway/traffic/readManifest.js';
import { CheckUsageError } from './CheckUsageError.js';

/** A client operation `portico check` knows of: from a trusted-documents manifest, or seen by the gateway. */
export interface KnownOperation {
  /** The operation name; null for an anonymous operation. */
  name: string | null;
  /** The client: the manifest's path for a manifest operation, the client-name header's value for a seen one ('' when none). */
  client: string;
  /** The client's version, for a seen operation ('' when none or from a manifest). */
  clientVersion: string;
  source: 'manifest' | 'seen';
  /** The document text; null when the gateway recorded it without (longer than `operationRecording.maxDocumentBytes`). */
  document: string | null;
  /** For a seen operation: when last, and how often. */
  lastSeen?: string;
  count?: number;
}

/**
 * The operations of a trusted-documents manifest, in either format the gateway reads (Apollo's
 * persisted query manifest, or the client preset's persisted-documents.json): read by the
 * gateway's own reader, so that `check` knows exactly the documents the gateway would trust.
 */
export function manifestOperations(file: string): KnownOperation[] {
  let bodies: ReadonlySet<string>;
  try {
    bodies = readManifest(file).bodies;
  } catch (error) {
    throw new CheckUsageError(`cannot read the manifest: ${(error as Error).message}`);
  }
  const client = relative(process.cwd(), file) || file;
  return [...bodies].map((body) => ({ name: operationNameOf(body), client, clientVersion: '', source: 'manifest' as const, document: body }));
}

// The name of a document's first operation; null for an anonymous one or a document that does not parse.
function operationNameOf(body: string): string | null {
  try {
    const operation = parse(body).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    return operation?.name?.value ?? null;
  } catch {
    return null;
  }
}

/**
 * The operations a gateway has seen, from `/operations` on its internal listener
 * (`http://HOST:PORT`, the listener's origin, or the endpoint's full URL).
 */
export async function seenOperations(listener: string): Promise<KnownOperation[]> {
  let url: URL;
  try {
    url = new URL(listener);
  } catch {
    throw new CheckUsageError(`--operations: "${listener}" is not a URL (expected the internal listener, such as http://localhost:9464)`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/operations';
  let body: { operations?: RecordedOperation[] };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok)
      throw new Error(
        `it answered ${response.status}${response.status === 404 ? ' (is operationRecording.enabled on, and is this the internal listener, metrics.port?)' : ''}`,
      );
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new CheckUsageError(`cannot read the operations the gateway has seen from ${url.href}: ${(error as Error).message}`);
  }
  if (!Array.isArray(body.operations)) throw new CheckUsageError(`${url.href} did not answer { operations: [...] }`);
  // The gateway bounds and cleans what it records; cleaned again here, since these names reach a terminal.
  return body.operations.map((operation) => ({
    name: typeof operation.operationName === 'string' ? boundClientText(operation.operationName) : null,
    client: boundClientText(String(operation.clientName ?? '')),
    clientVersion: boundClientText(String(operation.clientVersion ?? '')),
    source: 'seen' as const,
    document: typeof operation.document === 'string' ? operation.document : null,
    lastSeen: boundClientText(String(operation.lastSeen ?? '')),
    count: Number(operation.count) || 0,
  }));
}
