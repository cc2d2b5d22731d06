import path from 'node:path';
import { developmentSecrets } from '../../common/developmentSecrets.js';
import { isReservedHeader } from '../subgraphRequests/isReservedHeader.js';
import type { GatewayMode } from './GatewayConfig.js';
import { isFile } from './isFile.js';
import type { AuthenticationConfig, HeaderRule, JwtAlgorithm, SecurityConfig } from './SecurityConfig.js';

/** The security sections as the schema leaves them: static defaults filled, the rest not. */
export interface SecurityFileShape {
  authentication: Partial<Omit<AuthenticationConfig, 'jwks'>> & Pick<AuthenticationConfig, 'issuer' | 'audience' | 'clockToleranceSeconds' | 'requireExpiry' | 'requiredClaims' | 'forwardToken' | 'forwardClaims'> & {
    jwks?: AuthenticationConfig['jwks'];
  };
  authorization: { unauthorized: 'filter' | 'reject'; policyModule?: string };
  subgraphSigning: { secret?: string };
  headers: SecurityConfig['headers'];
}

/**
 * Fills in the security defaults that depend on the mode and the environment (secrets come
 * from `PORTICO_JWT_SECRET` and `PORTICO_SIGNING_SECRET` when the file has none) and checks the
 * rules that span keys. Returns the problems rather than throwing, so all are reported at once.
 */
export function completeSecurityConfig(
  file: SecurityFileShape,
  { mode, env, cwd }: { mode: GatewayMode; env: Record<string, string | undefined>; cwd: string },
): { security: SecurityConfig; problems: string[] } {
  const problems: string[] = [];
  const development = mode === 'development';
  const auth = file.authentication;

  const secret = auth.secret ?? env.PORTICO_JWT_SECRET ?? (development ? developmentSecrets.jwt : null);
  const publicKeyFile = auth.publicKeyFile ? path.resolve(cwd, auth.publicKeyFile) : null;
  const jwks = auth.jwks ?? null;
  const asymmetric = publicKeyFile !== null || jwks !== null;
  const algorithms: JwtAlgorithm[] = auth.algorithms ?? [...(secret ? (['HS256'] as const) : []), ...(asymmetric ? (['RS256'] as const) : [])];
  const modeOfAuth = auth.mode ?? (secret || asymmetric ? 'optional' : 'off');

  if (secret !== null && secret.length < 16) problems.push('authentication.secret (or PORTICO_JWT_SECRET): must be at least 16 characters');
  if (!development && secret === developmentSecrets.jwt) problems.push('authentication.secret: the development secret cannot be used in production');
  if (publicKeyFile !== null && !isFile(publicKeyFile)) problems.push(`authentication.publicKeyFile: no file at ${publicKeyFile}`);
  if (modeOfAuth !== 'off' && !secret && !asymmetric) {
    problems.push(`authentication.mode: "${modeOfAuth}" needs a key: set authentication.secret (or PORTICO_JWT_SECRET), authentication.publicKeyFile or authentication.jwks.url`);
  }
  for (const algorithm of algorithms) {
    if (algorithm.startsWith('HS') && !secret) problems.push(`authentication.algorithms: ${algorithm} needs authentication.secret (or PORTICO_JWT_SECRET)`);
    if (!algorithm.startsWith('HS') && !asymmetric) problems.push(`authentication.algorithms: ${algorithm} needs authentication.publicKeyFile or authentication.jwks.url`);
  }

  const policyModule = file.authorization.policyModule === undefined ? null : path.resolve(cwd, file.authorization.policyModule);
  if (policyModule !== null && !isFile(policyModule)) problems.push(`authorization.policyModule: no file at ${policyModule}`);

  const signingSecret = file.subgraphSigning.secret ?? env.PORTICO_SIGNING_SECRET ?? (development ? developmentSecrets.signing : undefined);
  if (signingSecret === undefined) {
    problems.push('subgraphSigning.secret: required in production; set PORTICO_SIGNING_SECRET (the subgraphs need the same value)');
  } else if (signingSecret.length < 16) {
    problems.push('subgraphSigning.secret (or PORTICO_SIGNING_SECRET): must be at least 16 characters');
  } else if (!development && signingSecret === developmentSecrets.signing) {
    problems.push('subgraphSigning.secret: the development secret cannot be used in production');
  }

  problems.push(...checkHeaderRules('headers.all', file.headers.all));
  for (const [name, rules] of Object.entries(file.headers.subgraphs)) problems.push(...checkHeaderRules(`headers.subgraphs.${name}`, rules));

  return {
    security: {
      authentication: {
        mode: modeOfAuth,
        algorithms,
        secret,
        publicKeyFile,
        jwks,
        issuer: auth.issuer,
        audience: auth.audience,
        clockToleranceSeconds: auth.clockToleranceSeconds,
        requireExpiry: auth.requireExpiry,
        maxTokenAgeSeconds: auth.maxTokenAgeSeconds ?? null,
        requiredClaims: auth.requiredClaims,
        cookie: auth.cookie ?? null,
        forwardToken: auth.forwardToken,
        forwardClaims: auth.forwardClaims,
      },
      authorization: { unauthorized: file.authorization.unauthorized, policyModule },
      subgraphSigning: { secret: signingSecret ?? '' },
      headers: file.headers,
    },
    problems,
  };
}

// Each rule is exactly one of its three forms, and never touches a reserved header.
function checkHeaderRules(at: string, rules: HeaderRule[]): string[] {
  const problems: string[] = [];
  rules.forEach((rule, index) => {
    const where = `${at}[${index}]`;
    const keys = Object.keys(rule).sort().join(',');
    if (!['propagate', 'propagate,rename', 'matching', 'set,value'].includes(keys)) {
      problems.push(`${where}: must be one of { propagate: NAME }, { propagate: NAME, rename: NAME }, { matching: REGEX }, { set: NAME, value: TEXT } (got keys ${keys || 'none'})`);
      return;
    }
    for (const name of [(rule as { propagate?: string }).propagate, (rule as { rename?: string }).rename, (rule as { set?: string }).set]) {
      if (name !== undefined && isReservedHeader(name)) problems.push(`${where}: "${name}" is reserved (hop-by-hop, content or x-portico-*; forward tokens with authentication.forwardToken)`);
    }
    if ('matching' in rule) {
      try {
        new RegExp(rule.matching, 'i');
      } catch (error) {
        problems.push(`${where}.matching: not a valid regular expression (${(error as Error).message})`);
      }
    }
  });
  return problems;
}
