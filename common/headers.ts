/** Header names on the gateway → subgraph → backend path. */
export const Headers = {
  /** Correlates one client request across every hop; taken from the client or minted. */
  requestId: 'x-request-id',
  /** The caller's user id, as the gateway established it; absent for anonymous requests. */
  subject: 'x-portico-subject',
  /**
   * Milliseconds left, when the request was sent, before its caller gives up on it. A relative
   * time rather than a timestamp, so that clocks need not agree between hosts.
   */
  deadline: 'x-portico-deadline-ms',
} as const;
