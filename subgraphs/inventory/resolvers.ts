import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { InventoryContext } from './context.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { shippingEstimate } from './shippingEstimate.js';
import type { ProductReference } from './stockApi.js';

// Every product has a stock record; a missing one is the inventory service's data error.
async function stockOf({ upc }: ProductReference, { stock }: InventoryContext) {
  const level = await stock.load(upc);
  if (level === null) {
    throw new GraphQLError(`The inventory service has no stock record for product ${upc}.`, {
      extensions: { code: ErrorCode.NOT_FOUND, backend: 'inventory' },
    });
  }
  return level;
}

export const resolvers: Resolvers = {
  Product: {
    __resolveReference: (reference) => reference,
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
