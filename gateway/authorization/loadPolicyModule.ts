import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/ConfigError.js';

/** What the operator's module receives: the caller's claims (empty when anonymous) and the policy names to decide. */
export interface PolicyInput {
  claims: Readonly<Record<string, unknown>>;
  policies: readonly string[];
}

/** The operator's decision: the names of the policies that hold for this caller. */
export type PolicyDecider = (input: PolicyInput) => Iterable<string> | Promise<Iterable<string>>;

/** Loads `authorization.policyModule`: its default export must be a `PolicyDecider`. */
export async function loadPolicyModule(file: string): Promise<PolicyDecider> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError([`authorization.policyModule: ${file} could not be loaded: ${(error as Error).message}`]);
  }
  if (typeof module.default !== 'function') {
    throw new ConfigError([`authorization.policyModule: ${file} must have a default export that is a function ({ claims, policies }) => names of the policies that hold`]);
  }
  return module.default as PolicyDecider;
}
