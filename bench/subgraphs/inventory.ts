import type { BenchSubgraph } from './BenchSubgraph.js';
import { benchStock, shippingEstimate } from './benchData.js';
import { readSdl } from './readSdl.js';

interface ProductReference {
  upc: string;
  /** Present when the gateway asks for `shippingEstimate` (`@requires`). */
  price?: number;
  weight?: number;
}

export const inventory: BenchSubgraph = {
  name: 'inventory',
  typeDefs: readSdl('inventory'),
  resolvers: {
    Product: {
      __resolveReference: (reference: ProductReference) => reference,
      inStock: ({ upc }: ProductReference) => benchStock[upc] ?? null,
      shippingEstimate: ({ price, weight }: ProductReference) => (price === undefined || weight === undefined ? null : shippingEstimate({ price, weight })),
    },
  },
};
