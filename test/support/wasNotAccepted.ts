// Errors that mean a server never took the request: its port was closed, or an idle keep-alive
// connection was closed as the request was being written. Anything else lost an accepted request.
const NOT_ACCEPTED = /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed/;

/** Whether a failed fetch failed before the server accepted the request. */
export function wasNotAccepted(error: Error): boolean {
  const cause = error.cause as (Error & { code?: string }) | undefined;
  return NOT_ACCEPTED.test(`${error.message} ${cause?.code ?? ''} ${cause?.message ?? ''}`);
}
