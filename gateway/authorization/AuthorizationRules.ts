import type { Viewer } from '../GatewayContext.js';

/**
 * What one schema coordinate (a type, or a field as `Type.field`) requires. Every entry of
 * `scopes` and `policies` is one directive use: its sets are alternatives (OR), a set's names
 * must all hold (AND), and separate uses must all be satisfied.
 */
export interface Requirement {
  authenticated: boolean;
  scopes: string[][][];
  policies: string[][][];
}

/** The authorization directives of a supergraph, by coordinate. */
export interface AuthorizationRules {
  types: ReadonlyMap<string, Requirement>;
  fields: ReadonlyMap<string, Requirement>;
  /** Every policy name used, for the policy module. */
  policyNames: ReadonlySet<string>;
}

export const noRequirement: Requirement = { authenticated: false, scopes: [], policies: [] };

/** Both requirements at once. */
export function combine(a: Requirement, b: Requirement): Requirement {
  if (a === noRequirement) return b;
  if (b === noRequirement) return a;
  return { authenticated: a.authenticated || b.authenticated, scopes: [...a.scopes, ...b.scopes], policies: [...a.policies, ...b.policies] };
}

/** Why a requirement fails for this caller; null when it holds. */
export function denial(requirement: Requirement, viewer: Viewer | null, satisfiedPolicies: ReadonlySet<string>): 'UNAUTHENTICATED' | 'FORBIDDEN' | null {
  if (requirement === noRequirement) return null;
  const holds = (uses: string[][][], has: (name: string) => boolean) => uses.every((alternatives) => alternatives.some((set) => set.every(has)));
  const scopes = new Set(viewer?.scopes ?? []);
  const failed =
    (requirement.authenticated && viewer === null) ||
    !holds(requirement.scopes, (scope) => scopes.has(scope)) ||
    !holds(requirement.policies, (policy) => satisfiedPolicies.has(policy));
  if (!failed) return null;
  // Without an identity the caller can still fix it by signing in; with one, it cannot.
  return viewer === null ? 'UNAUTHENTICATED' : 'FORBIDDEN';
}
