import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/ConfigError.js';

/** What the operator's module receives: the caller's claims (empty when anonymous) and the policy names to decide. */
export interface PolicyInput {
  claims: Readonly<Record<string, unknown>>;
  policies: readonly string[];
}

/** The operator's decision: the names of the policies that hold for this caller. */
export type PolicyDecider = (input: PolicyInput) => Iterable<string> | Promise<Iterable<string>>;

/**
 * Loads `authorization.policyModule`: its default export must be a `PolicyDecider`. Node loads
 * it, with no TypeScript loader: a `.js`/`.mjs` module anywhere, or a `.ts` one on a Node that
 * strips types (22.18 and later); on Node 20 a `.ts` module is refused with what to do instead.
 */
export async function loadPolicyModule(file: string): Promise<PolicyDecider> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError([`authorization.policyModule: ${file} could not be loaded: ${whyNotLoaded(file, error)}`]);
  }
  if (typeof module.default !== 'function') {
    throw new ConfigError([
      `authorization.policyModule: ${file} must have a default export that is a function ({ claims, policies }) => names of the policies that hold`,
    ]);
  }
  return module.default as PolicyDecider;
}

function whyNotLoaded(file: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?ts$/.test(file)) {
    return `it is TypeScript, which Node ${process.version} does not load; compile it to a .js or .mjs module, or run Node 22.18 or later, which strips types`;
  }
  return (error as Error).message;
}
