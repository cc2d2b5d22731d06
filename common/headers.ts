/** Header names on the gateway → subgraph → backend path. */
export const Headers = {
  /** Correlates one client request across every hop; taken from the client or minted. */
  requestId: 'x-request-id',
  /** The caller's subject (`sub`), as the gateway verified it; absent for anonymous requests. */
  subject: 'x-portico-subject',
  /** The caller's scopes, space-separated. */
  scopes: 'x-portico-scopes',
  /** The claims the gateway is configured to forward, as a JSON object. */
  claims: 'x-portico-claims',
  /** When the gateway signed the request, in milliseconds since the epoch. */
  timestamp: 'x-portico-timestamp',
  /** The gateway's HMAC over the request (see common/signing). */
  signature: 'x-portico-signature',
  /**
   * Milliseconds left, when the request was sent, before its caller gives up on it. A relative
   * time rather than a timestamp, so that clocks need not agree between hosts.
   */
  deadline: 'x-portico-deadline-ms',
  /** A client sends `true` to get the operation's estimated cost in `extensions.cost`. */
  cost: 'x-portico-cost',
} as const;

/** The identity headers, in the order they are signed. */
export const identityHeaders = [Headers.subject, Headers.scopes, Headers.claims] as const;
