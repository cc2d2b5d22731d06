import { ErrorCode } from '../../../common/errorCodes.js';
import type { LimitsConfig } from '../../config/TrafficConfig.js';
import { checkDocument } from '../../traffic/checkDocument.js';
import { documentRefusalError } from '../../traffic/documentRefusalError.js';
import { createKnownDocuments, type KnownDocuments } from '../../traffic/createKnownDocuments.js';
import type { Feature } from '../Feature.js';

/**
 * Document limits (`limits`), before Apollo Server sees the request: the batch size, then each
 * operation's shape. One operation over a limit refuses the whole request with HTTP 400, since a
 * batch is one request from one client. Requests without a query (an APQ hash) pass: the APQ store
 * checks a document against the same limits as it reads it back (createVerifiedDocumentCache),
 * and manifest documents are the operator's own. Documents
 * that passed are remembered (`known`, shared with the new-document budget), since clients send
 * the same few again and again.
 */
export function createDocumentLimits(limits: LimitsConfig, known: KnownDocuments = createKnownDocuments()): Feature {
  /** Refuses a request body (one operation or a batch) that breaks a limit, with an `HttpError`. */
  const guard = (body: unknown): void => {
    const operations = Array.isArray(body) ? body : [body];
    if (operations.length > limits.maxBatchSize) {
      throw documentRefusalError({
        code: ErrorCode.MAX_BATCH_SIZE_EXCEEDED,
        limit: 'limits.maxBatchSize',
        measured: operations.length,
        allowed: limits.maxBatchSize,
        message: `The batch has ${operations.length} operations; the gateway allows at most ${limits.maxBatchSize} (limits.maxBatchSize)`,
      });
    }
    for (const operation of operations) {
      const query = typeof operation === 'object' && operation !== null ? (operation as { query?: unknown }).query : undefined;
      if (typeof query !== 'string' || known.has(query)) continue;
      const refused = checkDocument(query, limits);
      if (refused) throw documentRefusalError(refused);
      known.add(query);
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
