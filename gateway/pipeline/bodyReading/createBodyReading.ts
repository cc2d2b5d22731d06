import { checkJsonText } from '../../../common/http/checkJsonText.js';
import type { ByteAccount, ByteBudget } from '../../../common/http/createByteBudget.js';
import { parseJsonBody } from '../../../common/http/parseJsonBody.js';
import { readBody } from '../../../common/http/readBody.js';
import type { LimitsConfig } from '../../config/TrafficConfig.js';
import type { AddressBudget } from '../../traffic/createAddressBudget.js';
import { clientGone } from '../clientGone.js';
import type { Feature, GraphQLExchange } from '../Feature.js';

export interface BodyReadingOptions {
  /** `server.bodyLimitBytes`. */
  bodyLimitBytes: number;
  /** `server.bodyTimeoutMs`: the body is read under it, before the request takes an admission slot. */
  bodyTimeoutMs: number;
  /** `server.maxBodyBytesInFlight`: what every body being held shares, until its request is done, with a share per client. */
  bodyBudget: ByteBudget;
  /** `limits`: JSON nesting and the size of `variables`, measured before parsing. */
  limits: LimitsConfig;
  /** `rateLimit.perAddress.bodyBytes`: the bytes of bodies one address may send per window; null when off. */
  bytesBudget?: AddressBudget | null;
}

/**
 * The whole request, read under `server.bodyTimeoutMs` and measured within every limit before
 * it waits for an admission slot: a client that sends slowly, or sends what will be refused,
 * never holds one. A POST's bytes count against `server.maxBodyBytesInFlight` (the client's
 * share of it) until the request is done; a GET's JSON parameters are measured the same way.
 * Before a POST's body is read, its `content-length` is charged to its address's body-bytes
 * budget (refused over it, the body unread); a chunked body is read within what the address
 * has left, cut off past it, and charged once read.
 */
export function createBodyReading(options: BodyReadingOptions): Feature {
  const { limits } = options;
  return {
    name: 'bodyReading',
    async handle(exchange, next) {
      const account = options.bodyBudget.account(exchange.clientAddress);
      const budget = exchange.method === 'POST' ? (options.bytesBudget ?? null) : null;
      const metered = budget ? await meter(budget, exchange, account, options.bodyLimitBytes) : null;
      let raw: Buffer | undefined;
      try {
        raw =
          exchange.method === 'POST'
            ? await readBody(exchange.req, options.bodyLimitBytes, { timeoutMs: options.bodyTimeoutMs, budget: metered?.account ?? account })
            : undefined;
      } catch (error) {
        if (budget && metered?.cutOff()) await budget.exceed(exchange.clientAddress, metered.cutOff(), exchange.req, exchange.res);
        return clientGone(exchange.signal, error);
      }
      if (budget && raw && metered?.chunked) {
        try {
          await budget.charge(exchange.clientAddress, raw.length, exchange.req, exchange.res);
        } catch (error) {
          account.give(raw.length);
          throw error;
        }
      }
      try {
        exchange.body = raw ? parseJsonBody(exchange.req.headers, raw, limits) : undefined;
        if (!raw) checkGetParameters(exchange.url, limits);
        return await next();
      } finally {
        if (raw) account.give(raw.length);
      }
    },
  };
}

interface Metered {
  /** The account to read the body with. */
  account: ByteAccount;
  /** Whether the body is chunked, and so charged once read. */
  chunked: boolean;
  /** The bytes that had arrived when the body was cut off for going past the budget; 0 if it was not. */
  cutOff(): number;
}

/**
 * Charges a declared body (`content-length`) to its address before a byte of it is read, and
 * gives a chunked body (no length) an account that refuses the chunk that would take it past
 * what the address has left. A body over `server.bodyLimitBytes` is not charged: it is refused
 * at once, unread (413).
 */
async function meter(budget: AddressBudget, exchange: GraphQLExchange, account: ByteAccount, bodyLimitBytes: number): Promise<Metered> {
  const header = exchange.req.headers['content-length'];
  if (header !== undefined) {
    const declared = Number(header);
    if (Number.isFinite(declared) && declared > 0 && declared <= bodyLimitBytes)
      await budget.charge(exchange.clientAddress, declared, exchange.req, exchange.res);
    return { account, chunked: false, cutOff: () => 0 };
  }
  const allowance = await budget.remaining(exchange.clientAddress);
  // Nothing left: refused before reading, as a declared body would be.
  if (allowance <= 0) await budget.exceed(exchange.clientAddress, 1, exchange.req, exchange.res);
  let taken = 0;
  let cutOff = 0;
  return {
    chunked: true,
    cutOff: () => cutOff,
    account: {
      take(bytes) {
        if (taken + bytes > allowance) {
          cutOff = taken + bytes;
          return false;
        }
        if (!account.take(bytes)) return false;
        taken += bytes;
        return true;
      },
      give(bytes) {
        account.give(bytes);
      },
    },
  };
}

/** GET's JSON parameters, measured before Apollo Server parses them. */
function checkGetParameters(url: URL, limits: LimitsConfig): void {
  const variables = url.searchParams.get('variables');
  if (variables !== null) checkJsonText(Buffer.from(variables, 'utf8'), limits, 'The "variables" parameter', { variables: true });
  const extensions = url.searchParams.get('extensions');
  if (extensions !== null) checkJsonText(Buffer.from(extensions, 'utf8'), limits, 'The "extensions" parameter');
}
