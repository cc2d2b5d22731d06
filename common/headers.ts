/** Header names on the gateway → subgraph → backend path. */
export const Headers = {
  /** Correlates one client request across every hop; taken from the client or minted. */
  requestId: 'x-request-id',
} as const;
