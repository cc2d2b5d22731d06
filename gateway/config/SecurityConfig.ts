/** JWT signature algorithms Portico verifies. `none` is not one of them, by construction. */
export const jwtAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

export interface JwksConfig {
  /** Where the JSON Web Key Set is fetched from. */
  url: string;
  /**
   * How long fetched keys are kept.
   * @default 600000 (10 minutes)
   */
  cacheMaxAgeMs: number;
  /**
   * Most fetches per minute when tokens name a `kid` the cache does not hold, so a flood of
   * forged `kid`s cannot hammer the key server; a separate budget of the same size bounds the
   * refreshes of an expired set. Keys the cache holds are always served, expired or not, while a
   * refresh is tried, so forged `kid`s can never lock out real ones.
   * @default 10
   */
  refetchPerMinute: number;
  /**
   * Deadline of one fetch.
   * @default 5000
   */
  timeoutMs: number;
}

export interface AuthenticationConfig {
  /**
   * `required`: a request without a valid token gets 401. `optional`: anonymous requests pass
   * and the authorization directives decide field by field. `off`: tokens are ignored.
   * @default 'optional' when a key is configured (always in development), else 'off'
   */
  mode: 'off' | 'optional' | 'required';
  /**
   * The algorithms a token may be signed with; anything else is refused.
   * @default HS256 when a secret is set, plus RS256 when a public key or JWKS is set
   */
  algorithms: JwtAlgorithm[];
  /**
   * Shared secret for HS* tokens.
   * @default $PORTICO_JWT_SECRET; in development, the development secret `portico token` uses
   */
  secret: string | null;
  /** PEM public key (absolute path) for RS*, PS* and ES* tokens. @default null */
  publicKeyFile: string | null;
  /** @default null */
  jwks: JwksConfig | null;
  /** Accepted `iss` values; empty accepts any. @default [] */
  issuer: string[];
  /** Accepted `aud` values; empty accepts any. @default [] */
  audience: string[];
  /** Leeway for `exp` and `nbf`, for clocks that disagree a little. @default 5 */
  clockToleranceSeconds: number;
  /**
   * Refuse tokens without an `exp` claim: one that never expires is a credential forever.
   * @default true
   */
  requireExpiry: boolean;
  /**
   * Refuse tokens issued (`iat`) more than this many seconds ago, whatever their `exp`; tokens
   * without `iat` are then refused too. null: no limit beyond `exp`.
   * @default null
   */
  maxTokenAgeSeconds: number | null;
  /** Claims every token must carry, besides `sub`. @default [] */
  requiredClaims: string[];
  /** Also read the token from this cookie when there is no Authorization header. @default null */
  cookie: string | null;
  /** Send the raw token to subgraphs in `Authorization`. @default false */
  forwardToken: boolean;
  /** Claims sent to subgraphs (in `x-portico-claims`) besides subject and scopes. @default [] */
  forwardClaims: string[];
}

export interface AuthorizationConfig {
  /**
   * `filter`: remove what the caller may not see and answer the rest, with an error per removed
   * path. `reject`: refuse the whole request if anything would be removed.
   * @default 'filter'
   */
  unauthorized: 'filter' | 'reject';
  /**
   * A module (absolute path) whose default export decides `@policy` (see the README). Without
   * one, every `@policy` field is refused.
   * @default null
   */
  policyModule: string | null;
}

export interface SubgraphSigningConfig {
  /**
   * The secret the gateway signs subgraph requests with; subgraphs verify with the same one.
   * @default $PORTICO_SIGNING_SECRET; in development, the development secret
   */
  secret: string;
}

/** One header rule: pass a client header on (optionally renamed), pass on all that match, or set one. */
export type HeaderRule = { propagate: string; rename?: string } | { matching: string } | { set: string; value: string };

export interface HeadersConfig {
  /** Rules for every subgraph. @default [] */
  all: HeaderRule[];
  /** Rules for one subgraph, applied after `all`. @default {} */
  subgraphs: Record<string, HeaderRule[]>;
}

/** The security sections of the gateway config. */
export interface SecurityConfig {
  authentication: AuthenticationConfig;
  authorization: AuthorizationConfig;
  subgraphSigning: SubgraphSigningConfig;
  headers: HeadersConfig;
}
