/**
 * The caller, once the gateway has verified a token: what the gateway's plugins see, and what a
 * subgraph reads back from the signed `x-portico-identity` header (common/identityHeader.ts).
 */
export interface Viewer {
  /** The token's `sub` claim. */
  subject: string;
  /** The token's scopes (`scope` claim, space-separated, or `scp` array). */
  scopes: readonly string[];
  /** The verified claims: every one at the gateway; at a subgraph, those the gateway forwards. */
  claims: Readonly<Record<string, unknown>>;
}
