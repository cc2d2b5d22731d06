import { randomUUID } from 'node:crypto';

// Ids we pass on as they are: short, and only characters that are safe in logs and headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The client's `x-request-id` when it is one plain value of safe characters, else a new UUID. */
export function resolveRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
