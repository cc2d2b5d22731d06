// Headers of the connection itself, of the body, or of Portico's own gateway → subgraph contract.
const reserved =
  /^(x-portico-.*|connection|keep-alive|transfer-encoding|te|trailer|upgrade|proxy-.*|host|content-length|content-type|content-encoding|authorization)$/i;

/**
 * Whether a header may never be copied from a client to a subgraph by a header rule. The raw
 * token is forwarded only by `authentication.forwardToken`, never by a rule.
 */
export function isReservedHeader(name: string): boolean {
  return reserved.test(name);
}
