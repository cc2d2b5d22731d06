import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../../../common/errorCodes.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { LimitsConfig } from '../../config/TrafficConfig.js';
import { checkDocument } from '../../traffic/checkDocument.js';
import type { LimitBreach } from '../../traffic/createLimitError.js';
import type { Feature } from '../Feature.js';

// Documents known to keep within the limits, so that a repeated one is not parsed again: at
// most this many bytes of them (each is at most limits.maxDocumentBytes).
const ACCEPTED_BYTES = 8 * 2 ** 20;

/**
 * Document limits (`limits`), before Apollo Server sees the request: the batch size, then each
 * operation's shape. One operation over a limit refuses the whole request with HTTP 400, since a
 * batch is one request from one client. Requests without a query (an APQ hash) pass: a document
 * was checked when it was registered, and manifest documents are the operator's own. Documents
 * that passed are remembered (an LRU by size), since clients send the same few again and again.
 */
export function createDocumentLimits(limits: LimitsConfig): Feature {
  const accepted = new LRUCache<string, true>({ maxSize: ACCEPTED_BYTES, sizeCalculation: (_, query) => Math.max(1, query.length) });
  /** Refuses a request body (one operation or a batch) that breaks a limit, with an `HttpError`. */
  const guard = (body: unknown): void => {
    const operations = Array.isArray(body) ? body : [body];
    if (operations.length > limits.maxBatchSize) {
      throw refusal({
        code: ErrorCode.MAX_BATCH_SIZE_EXCEEDED,
        limit: 'limits.maxBatchSize',
        measured: operations.length,
        allowed: limits.maxBatchSize,
        message: `The batch has ${operations.length} operations; the gateway allows at most ${limits.maxBatchSize} (limits.maxBatchSize)`,
      });
    }
    for (const operation of operations) {
      const query = typeof operation === 'object' && operation !== null ? (operation as { query?: unknown }).query : undefined;
      if (typeof query !== 'string' || accepted.has(query)) continue;
      const breach = checkDocument(query, limits);
      if (breach) throw refusal(breach);
      accepted.set(query, true);
    }
  };
  return {
    name: 'documentLimits',
    async handle(exchange, next) {
      guard(exchange.body ?? { query: exchange.url.searchParams.get('query') });
      return next();
    },
  };
}

function refusal({ code, message, limit, measured, allowed }: LimitBreach): HttpError {
  return new HttpError(code, message, {}, { limit, measured, allowed });
}
