import { enforcedSecuritySpecs } from './readAuthorizationRules.js';

/**
 * @apollo/gateway refuses a supergraph that links a `for: SECURITY` feature it does not
 * enforce itself, which it does for these three. Portico enforces them (before planning), so it
 * hands the gateway a copy in which only their links drop `for: SECURITY`; a security feature
 * Portico does not know still stops the gateway from loading, as it should.
 */
export function acceptEnforcedSecurityLinks(supergraphSdl: string): string {
  return supergraphSdl.replace(/@link\(\s*url:\s*"([^"]+)"([^)]*?),?\s*for:\s*SECURITY\s*\)/g, (link: string, url: string, rest: string) =>
    Object.keys(enforcedSecuritySpecs).some((prefix) => url.startsWith(prefix)) ? `@link(url: "${url}"${rest})` : link,
  );
}
