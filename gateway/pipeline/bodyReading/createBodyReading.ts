import { checkJsonText } from '../../../common/http/checkJsonText.js';
import type { ByteBudget } from '../../../common/http/createByteBudget.js';
import { parseJsonBody } from '../../../common/http/parseJsonBody.js';
import { readBody } from '../../../common/http/readBody.js';
import type { LimitsConfig } from '../../config/TrafficConfig.js';
import { clientGone } from '../clientGone.js';
import type { Feature } from '../Feature.js';

export interface BodyReadingOptions {
  /** `server.bodyLimitBytes`. */
  bodyLimitBytes: number;
  /** `server.bodyTimeoutMs`: the body is read under it, before the request takes an admission slot. */
  bodyTimeoutMs: number;
  /** `server.maxBodyBytesInFlight`: what every body being held shares, until its request is done, with a share per client. */
  bodyBudget: ByteBudget;
  /** `limits`: JSON nesting and the size of `variables`, measured before parsing. */
  limits: LimitsConfig;
}

/**
 * The whole request, read under `server.bodyTimeoutMs` and measured within every limit before
 * it waits for an admission slot: a client that sends slowly, or sends what will be refused,
 * never holds one. A POST's bytes count against `server.maxBodyBytesInFlight` (the client's
 * share of it) until the request is done; a GET's JSON parameters are measured the same way.
 */
export function createBodyReading(options: BodyReadingOptions): Feature {
  const { limits } = options;
  return {
    name: 'bodyReading',
    async handle(exchange, next) {
      const account = options.bodyBudget.account(exchange.clientAddress);
      let raw: Buffer | undefined;
      try {
        raw =
          exchange.method === 'POST' ? await readBody(exchange.req, options.bodyLimitBytes, { timeoutMs: options.bodyTimeoutMs, budget: account }) : undefined;
      } catch (error) {
        return clientGone(exchange.signal, error);
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

/** GET's JSON parameters, measured before Apollo Server parses them. */
function checkGetParameters(url: URL, limits: LimitsConfig): void {
  const variables = url.searchParams.get('variables');
  if (variables !== null) checkJsonText(Buffer.from(variables, 'utf8'), limits, 'The "variables" parameter', { variables: true });
  const extensions = url.searchParams.get('extensions');
  if (extensions !== null) checkJsonText(Buffer.from(extensions, 'utf8'), limits, 'The "extensions" parameter');
}
