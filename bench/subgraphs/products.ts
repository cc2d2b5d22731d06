import type { BenchSubgraph } from './BenchSubgraph.js';
import { benchProducts } from './benchData.js';
import { readSdl } from './readSdl.js';

export const products: BenchSubgraph = {
  name: 'products',
  typeDefs: readSdl('products'),
  resolvers: {
    Query: {
      topProducts: (_root: unknown, { first }: { first: number }) => benchProducts.slice(0, first),
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => benchProducts.find((product) => product.upc === upc) ?? null,
    },
  },
};
