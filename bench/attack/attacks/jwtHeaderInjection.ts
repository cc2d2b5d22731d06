import type { BenchAttack } from '../BenchAttack.js';
import { floodRequests } from '../floodRequests.js';
import { attackConcurrency } from './attackConcurrency.js';
import { validityClaims } from '../validityClaims.js';

const payload = { sub: 'mallory', ...validityClaims() };
const headers = [
  { alg: 'HS256\r\nX-Injected: 1', typ: 'JWT' },
  { alg: 'HS256', kid: 'k\r\nX-Injected: 1', typ: 'JWT' },
  { alg: 'HS256\u0100', typ: 'JWT' },
];
const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
// The signature does not matter: the header is judged (and echoed) before it is checked.
const tokens = headers.map((header) => `${encode(header)}.${encode(payload)}.${Buffer.from('not a signature').toString('base64url')}`);
const body = JSON.stringify({ query: '{ topProducts(first: 1) { upc } }' });

/** Issue 15, item 1: tokens whose header `alg` or `kid` holds CR/LF or a non-Latin-1 character. */
export const jwtHeaderInjection: BenchAttack = {
  id: 'jwt-header-injection',
  name: 'JWT header injection',
  what: `anonymous tokens whose header alg/kid holds CR/LF or U+0100, ${attackConcurrency} in flight`,
  run: (context) =>
    floodRequests(context, {
      concurrency: attackConcurrency,
      next: (n) => ({ body, headers: { authorization: `Bearer ${tokens[n % tokens.length]}` } }),
    }),
};
