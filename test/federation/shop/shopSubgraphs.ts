import { accountsSubgraph } from './accounts.js';
import { inventorySubgraph } from './inventory.js';
import { productsSubgraph } from './products.js';
import { reviewsSubgraph } from './reviews.js';

/** The four subgraphs of the shop scenario, in the federation benchmark's shape. */
export const shopSubgraphs = [accountsSubgraph, productsSubgraph, inventorySubgraph, reviewsSubgraph];
