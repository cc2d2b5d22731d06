import { requireKey } from '../kit/loaders/requireKey.js';
import { requireIntInRange } from '../kit/requireIntInRange.js';
import type { Resolvers } from './generated/resolvers-types.js';

export const resolvers: Resolvers = {
  Query: {
    topProducts: async (_parent, { first }, context) => {
      const found = await context.catalog.top(requireIntInRange('first', first, 1, 100), context);
      for (const product of found) context.products.prime(product.upc, product);
      return found;
    },
    product: (_parent, { upc }, { products }) => products.load(upc),
  },
  Mutation: {
    updateProductPrice: async (_parent, { upc, price }, context) => {
      const updated = await context.catalog.updatePrice(requireKey('upc', upc), price, context);
      context.products.clear(upc).prime(upc, updated);
      return updated;
    },
  },
  Product: {
    __resolveReference: ({ upc }, { products }) => products.load(upc),
  },
};
