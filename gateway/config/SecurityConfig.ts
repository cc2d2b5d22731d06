import { Type, type StaticDecode } from 'typebox';
import { developmentSecrets } from '../../common/developmentSecrets.js';
import { type DefaultContext, derivedDefault, headerName, headerValue, httpUrl, nullable, section } from './configOptions.js';

/** JWT signature algorithms Portico verifies. `none` is not one of them, by construction. */
export const jwtAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

const SECRET_ACCEPTS = 'a secret of at least 16 characters';
const strings = (accepts: string, description: string, defaultNote?: string) =>
  Type.Array(Type.String({ minLength: 1 }), { accepts, default: [], description, ...(defaultNote ? { defaultNote } : {}) });

// The key defaults depend on one another: the secret comes from the file, else the environment,
// else (in development only) the development secret; the algorithms and the mode follow the keys.
const development = (context: DefaultContext) => context.get('mode') === 'development';
const jwtSecretOf = (context: DefaultContext): string | null =>
  (context.get('authentication.secret') as string | undefined) ?? context.env.PORTICO_JWT_SECRET ?? (development(context) ? developmentSecrets.jwt : null);
const hasPublicKey = (context: DefaultContext) => context.get('authentication.publicKeyFile') != null || context.get('authentication.jwks') != null;

export const jwksConfigSchema = nullable(
  section({
    url: httpUrl({ description: "A JSON Web Key Set; the key is chosen by the token's `kid`." }),
    cacheMaxAgeMs: Type.Integer({
      minimum: 0,
      default: 600_000,
      description:
        'How long fetched keys are fresh. An expired key is still used while the set is re-fetched in the background, so a slow or unreachable key server does not refuse tokens it already vouched for.',
    }),
    refetchPerMinute: Type.Integer({
      minimum: 1,
      default: 10,
      description:
        'Most key-set fetches per minute for unknown `kid`s, so key rotation needs no restart and forged `kid`s cannot hammer the key server; refreshes of an expired set have their own budget of the same size, so forged `kid`s can never lock out known keys.',
    }),
    timeoutMs: Type.Integer({
      minimum: 1,
      default: 5000,
      description:
        'Deadline of one key-set fetch, its last byte included: a key server that keeps streaming is cut off. A key set is read up to 256 KiB (a large one is some 15 KiB); a larger one fails the fetch.',
    }),
  }),
);

export const authenticationConfigSchema = section({
  mode: Type.Enum(['off', 'optional', 'required'], {
    derived: derivedDefault('`optional` when a key is configured (always in development), else `off`', (context) =>
      jwtSecretOf(context) || hasPublicKey(context) ? 'optional' : 'off',
    ),
    description:
      '`required`: no valid token → 401. `optional`: anonymous requests pass and the authorization directives decide field by field. `off`: tokens are ignored (every `@authenticated` field is refused).',
  }),
  algorithms: Type.Array(Type.Enum(jwtAlgorithms, { accepts: `one of ${jwtAlgorithms.join(', ')}` }), {
    minItems: 1,
    accepts: 'a list of JWT algorithms such as ["RS256"]',
    derived: derivedDefault('`HS256` when a secret is set, plus `RS256` when a public key or JWKS is set', (context) => [
      ...(jwtSecretOf(context) ? ['HS256'] : []),
      ...(hasPublicKey(context) ? ['RS256'] : []),
    ]),
    description:
      'The JWT algorithms accepted (`HS256/384/512`, `RS*`, `PS*`, `ES*`); anything else, `none` included, is refused. Each needs a key of its family.',
  }),
  // Never null in the file: only the default can leave it unset.
  secret: Type.Unsafe<string | null>(
    Type.String({
      minLength: 16,
      accepts: SECRET_ACCEPTS,
      derived: derivedDefault('`$PORTICO_JWT_SECRET`; in development, the development secret', jwtSecretOf),
      description: 'Shared secret for HS* tokens (16+ characters). The development secret is refused in production.',
    }),
  ),
  publicKeyFile: nullable(Type.String({ minLength: 1, filePath: true, description: 'PEM public key for RS*, PS* and ES* tokens.' })),
  jwks: jwksConfigSchema,
  issuer: strings('a list of accepted issuers', 'Accepted `iss` values.', 'any'),
  audience: strings('a list of accepted audiences', 'Accepted `aud` values.', 'any'),
  clockToleranceSeconds: Type.Integer({ minimum: 0, default: 5, description: 'Leeway for `exp` and `nbf`.' }),
  requireExpiry: Type.Boolean({ default: true, description: 'Refuse tokens without an `exp` claim (one that never expires is a credential forever).' }),
  maxTokenAgeSeconds: nullable(
    Type.Integer({
      minimum: 1,
      accepts: 'a whole number of seconds, at least 1',
      description: 'Refuse tokens issued (`iat`) longer ago than this, whatever their `exp`; tokens without `iat` are then refused too.',
    }),
  ),
  requiredClaims: strings('a list of claim names', 'Claims every token must carry besides `sub`.'),
  cookie: nullable(Type.String({ minLength: 1, description: 'Also read the token from this cookie when there is no `Authorization` header.' })),
  forwardToken: Type.Boolean({ default: false, description: "Send the client's raw `Authorization` header to subgraphs too." }),
  forwardClaims: strings('a list of claim names', 'Claims sent to subgraphs (in `x-portico-identity`) besides subject and scopes.'),
});

export const authorizationConfigSchema = section({
  unauthorized: Type.Enum(['filter', 'reject'], {
    default: 'filter',
    description: '`filter`: remove what the caller may not see and answer the rest. `reject`: refuse the whole request (401/403) if anything would be removed.',
  }),
  policyModule: nullable(
    Type.String({
      minLength: 1,
      filePath: true,
      defaultNote: 'every `@policy` field is refused',
      description: 'A module whose default export decides `@policy` (see [Authorization](#authorization)).',
    }),
  ),
});

export const subgraphSigningConfigSchema = section({
  // '' when there is none, which the checks refuse (production without PORTICO_SIGNING_SECRET).
  secret: Type.String({
    minLength: 16,
    accepts: SECRET_ACCEPTS,
    derived: derivedDefault(
      '`$PORTICO_SIGNING_SECRET`; in development, the development secret',
      (context) => context.env.PORTICO_SIGNING_SECRET ?? (development(context) ? developmentSecrets.signing : ''),
    ),
    description: 'The secret every subgraph request is signed with; the subgraphs verify with the same one. Required in production.',
  }),
});

/**
 * One header rule: pass a client header on (optionally renamed), pass on all that match, or set
 * one. The schema takes any mix of the keys; `checkGatewayConfig` refuses all but these forms.
 */
export type HeaderRule = { propagate: string; rename?: string } | { matching: string } | { set: string; value: string };
const headerRules = (description: string) =>
  Type.Array(
    Type.Unsafe<HeaderRule>(
      section(
        {
          propagate: Type.Optional(headerName()),
          rename: Type.Optional(headerName()),
          matching: Type.Optional(Type.String({ minLength: 1 })),
          set: Type.Optional(headerName()),
          value: Type.Optional(headerValue()),
        },
        { default: undefined, accepts: 'one of { propagate: NAME [, rename: NAME] }, { matching: REGEX }, { set: NAME, value: TEXT }' },
      ),
    ),
    { accepts: 'a list of header rules', default: [], description },
  );

export const headersConfigSchema = section({
  all: headerRules(
    'Header rules for every subgraph: `{ propagate: NAME }`, `{ propagate: NAME, rename: NAME }`, `{ matching: REGEX }`, `{ set: NAME, value: TEXT }` (a `value` with CR, LF or another control character is refused at start). Nothing from the client is passed on otherwise.',
  ),
  subgraphs: Type.Record(Type.String(), headerRules('Header rules for one subgraph, applied after `headers.all`.'), {
    accepts: 'a mapping from subgraph name to a list of header rules',
    default: {},
  }),
});

/** The security sections, spread into the top level of the gateway config. */
export const securityConfigProperties = {
  authentication: authenticationConfigSchema,
  authorization: authorizationConfigSchema,
  subgraphSigning: subgraphSigningConfigSchema,
  headers: headersConfigSchema,
};

export type JwksConfig = NonNullable<StaticDecode<typeof jwksConfigSchema>>;
export type AuthenticationConfig = StaticDecode<typeof authenticationConfigSchema>;
export type AuthorizationConfig = StaticDecode<typeof authorizationConfigSchema>;
export type SubgraphSigningConfig = StaticDecode<typeof subgraphSigningConfigSchema>;
export type HeadersConfig = StaticDecode<typeof headersConfigSchema>;
/** The security part of `GatewayConfig`. */
export type SecurityConfig = { [Key in keyof typeof securityConfigProperties]: StaticDecode<(typeof securityConfigProperties)[Key]> };
