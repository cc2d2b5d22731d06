/** Header names on the gateway → subgraph → backend path. */
export const Headers = {
  /** Correlates one client request across every hop; taken from the client or minted. */
  requestId: 'x-request-id',
  /** The caller's user id, as the gateway established it; absent for anonymous requests. */
  subject: 'x-portico-subject',
  /** A client sends `true` to get the operation's estimated cost in `extensions.cost`. */
  cost: 'x-portico-cost',
} as const;
