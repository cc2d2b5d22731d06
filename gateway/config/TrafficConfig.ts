/**
 * The traffic-protection part of `GatewayConfig`: document limits, demand control, rate limits,
 * persisted documents and the Redis they can share. Every limit is on by default.
 */
export interface TrafficConfig {
  limits: LimitsConfig;
  demandControl: DemandControlConfig;
}

/** Limits on the shape of each operation, checked before it is validated or planned. */
export interface LimitsConfig {
  /** Largest operation text in bytes (UTF-8). @default 32768 */
  maxDocumentBytes: number;
  /** Most lexical tokens in one document; parsing stops past it. @default 5000 */
  maxTokens: number;
  /** Deepest field nesting, fragments expanded. @default 15 */
  maxDepth: number;
  /** Most aliased fields in one operation, fragments expanded. @default 30 */
  maxAliases: number;
  /** Most fields selected at the root of one operation. @default 20 */
  maxRootFields: number;
  /** Most directives used in one document. @default 50 */
  maxDirectives: number;
  /** Most operations in one batched (JSON array) request. @default 10 */
  maxBatchSize: number;
}

export interface DemandControlConfig {
  /**
   * Largest estimated cost (see the README's "Demand control") of one operation.
   * @default 5000
   */
  maxCost: number;
  /**
   * The size assumed for a list field with no `@listSize` and no slicing argument.
   * @default 10
   */
  defaultListSize: number;
  /**
   * Let clients ask for `extensions.cost` (`{ estimated, max }`) with the request header
   * `x-portico-cost: true`.
   * @default true
   */
  exposeCost: boolean;
}
