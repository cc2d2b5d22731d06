import { checkJsonText, type JsonLimits } from '../../common/http/checkJsonText.js';

// Operation ids are the client's text, used as Map keys and quoted in close reasons.
export const MAX_OPERATION_ID_LENGTH = 64;

/** What a client sends an operation with: the body of a GraphQL POST, in a `subscribe` message. */
export interface SubscribePayload {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** A message a `graphql-transport-ws` client may send. */
export type ClientMessage =
  | { type: 'connection_init'; payload: Record<string, unknown> | null }
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'subscribe'; id: string; payload: SubscribePayload }
  | { type: 'complete'; id: string };

/** A message the client should not have sent: the connection closes with 4400 and this reason. */
export class InvalidMessage extends Error {
  override readonly name = 'InvalidMessage';
}

/**
 * One message from the client: measured within `limits` (JSON nesting, `variables` size) before
 * `JSON.parse` spends anything on it, then checked field by field. Throws `InvalidMessage` (a
 * protocol violation: the connection closes) or the `HttpError` of a limit.
 */
export function parseClientMessage(data: Buffer, limits: JsonLimits): ClientMessage {
  checkJsonText(data, limits, 'The message');
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    throw new InvalidMessage('Invalid message: not JSON');
  }
  if (!isObject(value)) throw new InvalidMessage('Invalid message: not a JSON object');
  switch (value.type) {
    case 'connection_init': {
      const payload = value.payload;
      if (payload !== undefined && payload !== null && !isObject(payload))
        throw new InvalidMessage('Invalid message: connection_init payload must be an object');
      return { type: 'connection_init', payload: payload ?? null };
    }
    case 'ping':
    case 'pong':
      return { type: value.type };
    case 'subscribe':
      return { type: 'subscribe', id: idOf(value), payload: payloadOf(value.payload) };
    case 'complete':
      return { type: 'complete', id: idOf(value) };
    default:
      throw new InvalidMessage(
        typeof value.type === 'string' ? `Invalid message: unknown type ${JSON.stringify(value.type.slice(0, 32))}` : 'Invalid message: no type',
      );
  }
}

function idOf(message: Record<string, unknown>): string {
  const id = message.id;
  if (typeof id !== 'string' || id === '') throw new InvalidMessage('Invalid message: id must be a non-empty string');
  if (id.length > MAX_OPERATION_ID_LENGTH) throw new InvalidMessage(`Invalid message: id longer than ${MAX_OPERATION_ID_LENGTH} characters`);
  return id;
}

function payloadOf(payload: unknown): SubscribePayload {
  if (!isObject(payload)) throw new InvalidMessage('Invalid message: subscribe payload must be an object');
  const { operationName, variables, extensions } = payload;
  // graphql-ws clients must send a string `query`: one that sends only a persisted document's
  // hash sends `""`, which means "no query" here, as a POST without one (the trusted documents fill it).
  const query = payload.query === '' && isObject(extensions) ? undefined : payload.query;
  if (query !== undefined && typeof query !== 'string') throw new InvalidMessage('Invalid message: query must be a string');
  if (query === undefined && !isObject(extensions))
    throw new InvalidMessage('Invalid message: subscribe needs a query (or a persisted document in extensions)');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    throw new InvalidMessage('Invalid message: operationName must be a string');
  if (variables !== undefined && variables !== null && !isObject(variables)) throw new InvalidMessage('Invalid message: variables must be an object');
  if (extensions !== undefined && extensions !== null && !isObject(extensions)) throw new InvalidMessage('Invalid message: extensions must be an object');
  return {
    ...(query === undefined ? {} : { query }),
    ...(operationName === undefined ? {} : { operationName }),
    ...(variables === undefined ? {} : { variables }),
    ...(extensions === undefined ? {} : { extensions }),
  } as SubscribePayload;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
