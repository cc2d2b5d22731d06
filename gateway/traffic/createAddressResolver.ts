import { BlockList, isIP } from 'node:net';

const MAX_REMEMBERED_ADDRESSES = 4096;

/** The client address of a request, from its TCP peer and its `X-Forwarded-For` header. */
export type AddressResolver = (peer: string, forwardedFor: string | string[] | undefined) => string;

/**
 * Who a request comes from, as a rate-limit key: the TCP peer, or, when the peer is one of
 * `trustedProxies` (addresses and CIDR ranges), the rightmost `X-Forwarded-For` hop that is not a
 * trusted proxy, so that a client cannot pick its own address by sending the header itself (a
 * hop with a port or in brackets counts as its address; one that is no address at all, as the
 * proxy that forwarded it).
 * IPv6 clients are counted by their /64, the block one subscriber gets: anyone with a /64 has
 * 2^64 addresses to rotate through.
 */
export function createAddressResolver(trustedProxies: readonly string[]): AddressResolver {
  const isTrusted = createTrustCheck(trustedProxies);
  return (peer, forwardedFor) => {
    let client = peer;
    if (isTrusted(client)) {
      const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
      const hops = header
        .split(',')
        .map((hop) => addressOfHop(hop.trim()))
        .filter(Boolean);
      while (hops.length > 0 && isTrusted(client)) {
        const hop = hops.pop()!;
        // A hop a trusted proxy wrote that is no address: the proxy that wrote it is the client
        // (its whole traffic one bucket), never the text itself, which could vary per request.
        if (isIP(unmapped(hop)) === 0) break;
        client = hop;
      }
    }
    return keyOf(unmapped(client));
  };
}

/**
 * A forwarded hop as a plain address: balancers write some with a port (`192.0.2.1:51234`,
 * `[2001:db8::1]:443`) or in brackets (`[2001:db8::1]`), which would otherwise make every
 * connection of one client a client of its own. Anything else is left as it is.
 */
function addressOfHop(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
  return withPort ? withPort[1]! : hop;
}

/**
 * The key of a TCP peer as `createAddressResolver` counts it (IPv6 by /64), or null for one of
 * `trustedProxies`: a balancer speaks for many clients, and is judged by the addresses it forwards.
 * For what happens before any header is read, such as counting a peer's connections.
 */
export function createPeerKey(trustedProxies: readonly string[]): (peer: string) => string | null {
  const isTrusted = createTrustCheck(trustedProxies);
  return (peer) => (isTrusted(peer) ? null : keyOf(unmapped(peer)));
}

/** Whether an address is one of `trustedProxies` (addresses and CIDR ranges). */
function createTrustCheck(trustedProxies: readonly string[]): (address: string) => boolean {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  // A BlockList check builds a SocketAddress each time: verdicts on addresses are remembered
  // (behind a load balancer, its few addresses; facing clients, the last few thousand).
  const verdicts = new Map<string, boolean>();
  return (address) => {
    if (trustedProxies.length === 0) return false;
    let verdict = verdicts.get(address);
    if (verdict !== undefined) return verdict;
    const plain = unmapped(address);
    const family = isIP(plain);
    // Not an address (a forwarded hop can be any text): refused, and not remembered.
    if (family === 0) return false;
    verdict = trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    if (verdicts.size >= MAX_REMEMBERED_ADDRESSES) verdicts.clear();
    verdicts.set(address, verdict);
    return verdict;
  };
}

/** `::ffff:192.0.2.1` is the IPv4 client 192.0.2.1. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice('::ffff:'.length)) === 4 ? address.slice('::ffff:'.length) : address;
}

/** The address itself for IPv4; the /64 for IPv6; for anything else (a peer that is no address: never, but bounded all the same), a bounded text. */
function keyOf(address: string): string {
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return address.slice(0, 64);
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:a.b.c.d is handled above) fills two groups.
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}
