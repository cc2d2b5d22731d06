import type { AddressBudget } from '../../traffic/createAddressBudget.js';
import type { KnownDocuments } from '../../traffic/createKnownDocuments.js';
import type { Feature } from '../Feature.js';

export interface NewDocumentBudgetOptions {
  /** `rateLimit.perAddress.newDocuments`; null with rate limiting off or the budget `0`. */
  budget: AddressBudget | null;
  /** The documents the gateway has accepted (shared with the document limits, which add them). */
  known: KnownDocuments;
  /** `limits.maxBatchSize`: a larger batch is refused next by the document limits, untokenized, and counts nothing here. */
  maxBatchSize: number;
}

/**
 * The new-document budget per client address (`rateLimit.perAddress.newDocuments`), just before
 * the document limits tokenize a document and Apollo Server parses, validates and plans it: the
 * most expensive work a request within the per-address rule can ask for, and work a legitimate
 * client asks for once per document (its few documents are then known and never count again).
 * "New" is "not in `known`", the documents that passed the document limits and were not then
 * refused by Apollo Server's parse or validation (forgotten by this feature's plugin, so that a
 * repeated invalid document, which Apollo Server validates again each time, counts each time).
 * Apollo Server's own document store is not consulted: it is reachable only through its internals
 * (see readApolloInternals), it would take a SHA-256 and an async lookup per request before this
 * check, and it adds nothing an attacker could use: a document within the limits that is known
 * here but missing there is one it evicted or validated before a supergraph reload, work a
 * legitimate client causes once per document; one missing here but present there (evicted from
 * this smaller LRU) only counts once more. A request
 * without a query (an APQ hash or trusted-document id already registered) has nothing new;
 * each new document of a batch counts (once, however often the batch repeats it).
 */
export function createNewDocumentBudget(options: NewDocumentBudgetOptions): Feature {
  const { budget, known, maxBatchSize } = options;
  if (!budget) return { name: 'newDocumentBudget' };
  return {
    name: 'newDocumentBudget',
    async handle(exchange, next) {
      const body = exchange.body ?? { query: exchange.url.searchParams.get('query') };
      const fresh = newDocuments(body, known, maxBatchSize);
      if (fresh > 0) await budget.charge(exchange.clientAddress, fresh, exchange.req, exchange.res);
      return next();
    },
    plugin: {
      async requestDidStart() {
        return {
          async parsingDidStart({ source }) {
            return async (error) => {
              if (error) known.forget(source);
            };
          },
          async validationDidStart({ source }) {
            return async (errors) => {
              if (errors && errors.length > 0) known.forget(source);
            };
          },
        };
      },
    },
  };
}

/** The distinct documents of a request body (one operation or a batch) the gateway does not know. */
function newDocuments(body: unknown, known: KnownDocuments, maxBatchSize: number): number {
  const operations = Array.isArray(body) ? body : [body];
  if (operations.length > maxBatchSize) return 0;
  const fresh = new Set<string>();
  for (const operation of operations) {
    const query = typeof operation === 'object' && operation !== null ? (operation as { query?: unknown }).query : undefined;
    if (typeof query === 'string' && !known.has(query)) fresh.add(query);
  }
  return fresh.size;
}
