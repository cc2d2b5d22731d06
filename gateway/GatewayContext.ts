/** The per-request context every gateway plugin and the subgraph data sources see. */
export interface GatewayContext {
  /** This request's id: the client's `x-request-id` when it is sane, else a fresh UUID. */
  requestId: string;
  /** Aborted when the client goes away, so subgraph calls made for it stop too. */
  signal: AbortSignal;
}
