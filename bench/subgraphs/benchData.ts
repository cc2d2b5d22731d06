/**
 * The benchmark's data: small, fixed and shared by the four bench subgraphs and the reference
 * schema, in the community benchmark's proportions (a handful of users, nine products, a dozen
 * reviews of very different lengths). Unlike the community subgraphs, every review has a real
 * author and product, so an answer assembled by federation can be checked against one computed
 * without it.
 */

export interface BenchUser {
  id: string;
  name: string;
  username: string;
}

export interface BenchProduct {
  upc: string;
  name: string;
  /** In cents. */
  price: number;
  /** In grams; even, so that half of it is an integer. */
  weight: number;
}

export interface BenchReview {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

export const benchUsers: readonly BenchUser[] = [
  { id: '1', name: 'Ada Lovelace', username: 'ada' },
  { id: '2', name: 'Alan Turing', username: 'alan' },
  { id: '3', name: 'Grace Hopper', username: 'grace' },
  { id: '4', name: 'Edsger Dijkstra', username: 'edsger' },
  { id: '5', name: 'Barbara Liskov', username: 'barbara' },
  { id: '6', name: 'Donald Knuth', username: 'donald' },
];

export const benchProducts: readonly BenchProduct[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Glass', price: 15, weight: 20 },
  { upc: '4', name: 'Chair', price: 499, weight: 100 },
  { upc: '5', name: 'TV', price: 1299, weight: 1000 },
  { upc: '6', name: 'Lamp', price: 6999, weight: 300 },
  { upc: '7', name: 'Grill', price: 3999, weight: 2000 },
  { upc: '8', name: 'Fridge', price: 100000, weight: 6000 },
  { upc: '9', name: 'Sofa', price: 9999, weight: 800 },
];

/** Whether each product is in stock, by UPC: what the inventory subgraph knows. */
export const benchStock: Readonly<Record<string, boolean>> = {
  '1': true,
  '2': false,
  '3': false,
  '4': false,
  '5': true,
  '6': true,
  '7': true,
  '8': false,
  '9': true,
};

const sentence = 'The quick brown fox jumps over the lazy dog while the shop keeps its promises. ';

/** A review body of about `sentences` sentences, so answers carry realistic amounts of text. */
function body(opening: string, sentences: number): string {
  return opening + ' ' + sentence.repeat(sentences).trim();
}

export const benchReviews: readonly BenchReview[] = [
  { id: '1', body: body('Sturdy and simple.', 5), authorId: '1', productUpc: '1' },
  { id: '2', body: body('Wobbles a little.', 3), authorId: '2', productUpc: '1' },
  { id: '3', body: body('Good value.', 3), authorId: '3', productUpc: '1' },
  { id: '4', body: body('Too big for my flat.', 1), authorId: '4', productUpc: '1' },
  { id: '5', body: body('Comfortable.', 5), authorId: '1', productUpc: '2' },
  { id: '6', body: body('The colour faded.', 3), authorId: '5', productUpc: '2' },
  { id: '7', body: body('Arrived late.', 3), authorId: '6', productUpc: '2' },
  { id: '8', body: body('Nice fabric.', 1), authorId: '2', productUpc: '2' },
  { id: '9', body: body('Broke on day one.', 1), authorId: '3', productUpc: '3' },
  { id: '10', body: body('Fine.', 1), authorId: '4', productUpc: '4' },
  { id: '11', body: body('Best purchase this year.', 10), authorId: '5', productUpc: '4' },
  { id: '12', body: body('Bright picture.', 2), authorId: '6', productUpc: '5' },
];

/** Free shipping from 10.00; otherwise one cent per two grams. */
export function shippingEstimate(product: Pick<BenchProduct, 'price' | 'weight'>): number {
  return product.price > 1000 ? 0 : product.weight / 2;
}
