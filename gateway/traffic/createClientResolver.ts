import type { GraphQLRequestContext } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext.js';
import type { AddressResolver } from './createAddressResolver.js';
import type { KnownApiKeys } from './createKnownApiKeys.js';

export interface ClientResolverOptions {
  /** `rateLimit.apiKeyHeader`. */
  apiKeyHeader: string;
  /** Which keys identify a client; any other key is ignored. */
  apiKeys: KnownApiKeys;
  /** The client address, through `rateLimit.trustedProxies`. */
  addressOf: AddressResolver;
}

/**
 * Who a request counts against: the token's subject when authentication has set a viewer, else
 * a known API key, else the client's address. An unknown key is no key: were it an identity,
 * every invented key would be a fresh client with fresh limits.
 */
export function createClientResolver(options: ClientResolverOptions): (request: GraphQLRequestContext<GatewayContext>) => Promise<string> {
  return async ({ contextValue, request }) => {
    const subject = contextValue.viewer?.subject;
    if (subject) return `sub:${subject}`;
    const apiKey = request.http?.headers.get(options.apiKeyHeader);
    const known = apiKey ? await options.apiKeys.identify(apiKey) : null;
    if (known) return known;
    return `ip:${options.addressOf(contextValue.clientAddress, request.http?.headers.get('x-forwarded-for'))}`;
  };
}
