/** Header names on the gateway → subgraph → backend path. */
export const Headers = {
  /** Correlates one client request across every hop; taken from the client or minted. */
  requestId: 'x-request-id',
  /**
   * The caller as the gateway verified it (subject, scopes, forwarded claims), as header-safe
   * JSON (common/identityHeader.ts); absent for anonymous requests.
   */
  identity: 'x-portico-identity',
  /** When the gateway signed the request, in milliseconds since the epoch. */
  timestamp: 'x-portico-timestamp',
  /** A random value, new for every request sent, so that a subgraph can refuse a replay. */
  nonce: 'x-portico-nonce',
  /**
   * `sha256=<base64url>;length=<bytes>` of the body: signed, so that a subgraph checks every
   * header-level part before it reads a byte of the body, then reads at most `length` bytes.
   */
  bodyDigest: 'x-portico-body-digest',
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
