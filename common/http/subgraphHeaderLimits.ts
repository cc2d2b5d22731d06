/**
 * How many bytes of headers a gateway → subgraph request may carry, shared by both ends so that
 * the gateway never sends what a subgraph would answer with HTTP 431 (blaming the subgraph for
 * the caller's token).
 */
export const subgraphHeaderLimits = {
  /**
   * What a subgraph kit server reads of a request's headers (request line included, as Node
   * counts them): Node's default, made explicit so the gateway can count on it.
   */
  maxBytes: 16 * 1024,
  /**
   * What the caller's identity may take of it: `x-portico-identity`, and `authorization` with
   * `forwardToken`. The 4 KiB left are for the gateway's own headers (signature, nonce,
   * timestamp, body digest, request id up to 128 characters, deadline, traceparent, content type,
   * host: under 1 KiB together) and the client headers the header rules pass on.
   */
  identityBytes: 12 * 1024,
} as const;
