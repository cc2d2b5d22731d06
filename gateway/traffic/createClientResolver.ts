import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { GraphQLRequestContext } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext.js';

export interface ClientResolverOptions {
  /** `rateLimit.apiKeyHeader`. */
  apiKeyHeader: string;
  /** `rateLimit.trustedProxies`: addresses and CIDR ranges. */
  trustedProxies: readonly string[];
}

const MAX_REMEMBERED_ADDRESSES = 4096;

/**
 * Who a request counts against: the token's subject when authentication has set a viewer, else
 * the API key header, else the client's IP. `X-Forwarded-For` is read right to left and only
 * through trusted proxies, so a client cannot pick its own key by sending the header itself.
 */
export function createClientResolver(options: ClientResolverOptions): (request: GraphQLRequestContext<GatewayContext>) => string {
  const trusted = new BlockList();
  for (const entry of options.trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  // A BlockList check builds a SocketAddress each time: verdicts on addresses are remembered
  // (behind a load balancer, its few addresses; facing clients, the last few thousand).
  const verdicts = new Map<string, boolean>();
  const isTrusted = (address: string) => {
    if (options.trustedProxies.length === 0) return false;
    let verdict = verdicts.get(address);
    if (verdict !== undefined) return verdict;
    const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
    const family = isIP(plain);
    // Not an address (a forwarded hop can be any text): refused, and not remembered.
    if (family === 0) return false;
    verdict = trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    if (verdicts.size >= MAX_REMEMBERED_ADDRESSES) verdicts.clear();
    verdicts.set(address, verdict);
    return verdict;
  };

  return ({ contextValue, request }) => {
    const subject = contextValue.viewer?.subject;
    if (subject) return `sub:${subject}`;
    const apiKey = request.http?.headers.get(options.apiKeyHeader);
    // Hashed, so that the store never holds a usable key.
    if (apiKey) return `key:${createHash('sha256').update(apiKey).digest('base64url').slice(0, 24)}`;
    let client = contextValue.clientAddress;
    if (isTrusted(client)) {
      const hops = (request.http?.headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
      while (hops.length > 0 && isTrusted(client)) client = hops.pop() ?? client;
    }
    return `ip:${client}`;
  };
}
