// Far above any real supergraph (a few hundred subgraphs' SDL is a few MiB); a file or body past
// it is no supergraph, and reading it whole would take the gateway's memory, and block its event
// loop while parsed, on every replica at once.
export const MAX_SUPERGRAPH_BYTES = 32 * 1024 * 1024;

/** Why a supergraph of `size` is refused unread, for a file and a download alike. */
export function supergraphTooLarge(size: string): string {
  return `it is ${size}, over the ${MAX_SUPERGRAPH_BYTES} bytes a supergraph may be`;
}
