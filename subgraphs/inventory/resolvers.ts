import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { eventOrEnd } from '../kit/events/eventOrEnd.js';
import type { EventsEnded } from '../kit/events/EventBus.js';
import { requireIntInRange } from '../kit/requireIntInRange.js';
import { requireKey } from '../kit/loaders/requireKey.js';
import type { InventoryContext } from './context.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { shippingEstimate } from './shippingEstimate.js';
import type { ProductReference, StockRecord } from './stockApi.js';

/** The scope that lets a caller change stock (staff). */
export const stockWriteScope = 'inventory:write';

/** Most UPCs one `stockChanged` subscription watches. */
export const maxWatchedUpcs = 100;

/** Largest quantity `setStock` accepts (the inventory service's own limit). */
export const maxQuantity = 1_000_000;

// Every product has a stock record; a missing one is the inventory service's data error. A
// product that came with its stock (a stock change) needs no call.
async function stockOf({ upc, stock: known }: ProductReference, { stock }: InventoryContext) {
  if (known) return known;
  const level = await stock.load(upc);
  if (level === null) {
    throw new GraphQLError(`The inventory service has no stock record for product ${upc}.`, {
      extensions: { code: ErrorCode.NOT_FOUND, backend: 'inventory' },
    });
  }
  return level;
}

// The gateway enforces @requiresScopes before planning; the subgraph checks again, so that a
// caller who reaches it some other way (a development subgraph queried directly) cannot either.
function requireStaff({ viewer }: InventoryContext): void {
  if (!viewer) throw new GraphQLError('Sign in as staff to change stock.', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
  if (!viewer.scopes.includes(stockWriteScope)) {
    throw new GraphQLError(`Changing stock needs the scope ${stockWriteScope}.`, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}

// The UPCs to watch, refused before any call: a bounded count, each id as the loaders check them.
function watchedUpcs(upcs: readonly string[]): string[] {
  if (upcs.length < 1 || upcs.length > maxWatchedUpcs) {
    throw new GraphQLError(`upcs must hold 1 to ${maxWatchedUpcs} UPCs (got ${upcs.length}).`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, maxLength: maxWatchedUpcs },
    });
  }
  for (const upc of upcs) requireKey('upcs', upc);
  return [...new Set(upcs)];
}

const productWithStock = (level: StockRecord): ProductReference => ({ upc: level.upc, stock: level });

export const resolvers: Resolvers = {
  Mutation: {
    setStock: async (_parent, { upc, quantity }, context) => {
      requireStaff(context);
      requireKey('upc', upc);
      const level = await context.stockApi.setStock(upc, requireIntInRange('quantity', quantity, 0, maxQuantity), context);
      context.stock.clear(upc).prime(upc, level);
      return productWithStock(level);
    },
  },
  Subscription: {
    stockChanged: {
      subscribe: (_parent, { upcs }, context) => context.stockApi.watch(watchedUpcs(upcs), context),
      resolve: (item: StockRecord | EventsEnded) => productWithStock(eventOrEnd(item)),
    },
  },
  Product: {
    // Only the key and the @requires fields: nothing else a representation holds is trusted.
    __resolveReference: ({ upc, price, weight }) => ({ upc, price, weight }),
    inStock: async (product, _args, context) => (await stockOf(product, context)).inStock,
    quantity: async (product, _args, context) => (await stockOf(product, context)).quantity,
    warehouse: async (product, _args, context) => (await stockOf(product, context)).warehouse,
    shippingEstimate: ({ upc, price, weight }) => {
      // The gateway always sends these because of @requires; a direct caller may not.
      if (price === undefined || weight === undefined) {
        throw new GraphQLError(`shippingEstimate for product ${upc} needs its price and weight.`, {
          extensions: { code: ErrorCode.BAD_REQUEST },
        });
      }
      return shippingEstimate(price, weight);
    },
  },
};
