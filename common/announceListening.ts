/**
 * How a service started by `portico dev` tells its parent where it listens. Services may be
 * asked to listen on port 0 (tests, or `portico dev --auto-ports`), so the parent learns the
 * real port from this message rather than assuming the one it asked for.
 */
export interface ListeningMessage {
  type: 'portico:listening';
  /** The service's name as the parent knows it. */
  service: string;
  port: number;
}

export function isListeningMessage(value: unknown): value is ListeningMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ListeningMessage).type === 'portico:listening' &&
    typeof (value as ListeningMessage).port === 'number'
  );
}

/** Sends the message when this process was started with an IPC channel; a no-op otherwise. */
export function announceListening(service: string, port: number): void {
  const message: ListeningMessage = { type: 'portico:listening', service, port };
  process.send?.(message);
}
