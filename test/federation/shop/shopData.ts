// The shop scenario's records: small, generated, the same on every run. Every subgraph of the
// scenario reads them, as services reading one database would.

export interface UserRecord {
  id: string;
  name: string;
  username: string;
  /** Null for every third user: a nullable scalar that is sometimes null. */
  birthYear: number | null;
  friendIds: string[];
  /** A list with null items, or no list at all. */
  nicknames: (string | null)[] | null;
}

export interface ProductRecord {
  upc: string;
  name: string;
  price: number;
  weight: number;
  dimensions: { size: string; weight: number };
  /** A list of lists, with a null inner list and an empty one on some products. */
  tagGroups: (string[] | null)[];
  /** Products of the same subgraph, with null items. */
  relatedUpcs: (string | null)[];
  category: 'FURNITURE' | 'KITCHEN' | 'GARDEN' | null;
}

export interface ReviewRecord {
  id: string;
  body: string;
  rating: number;
  authorId: string;
  productUpc: string;
}

export const userCount = 40;
export const productCount = 120;

export const users: UserRecord[] = Array.from({ length: userCount }, (_, i) => ({
  id: `u${i}`,
  name: `User ${i}`,
  username: `user${i}`,
  birthYear: i % 3 === 0 ? null : 1960 + i,
  friendIds: [`u${(i + 1) % userCount}`, `u${(i + 7) % userCount}`],
  nicknames: i % 2 === 0 ? null : [`nick${i}`, null, `n${i}`],
}));

const sizes = ['S', 'M', 'L'];
const categories = ['FURNITURE', 'KITCHEN', 'GARDEN', null] as const;

export const products: ProductRecord[] = Array.from({ length: productCount }, (_, i) => ({
  upc: `p${i}`,
  name: `Product ${i}`,
  price: 5 + ((i * 37) % 200),
  weight: 1 + ((i * 13) % 50),
  dimensions: { size: sizes[i % 3] as string, weight: 1 + ((i * 13) % 50) },
  tagGroups: i % 4 === 0 ? [['sale', 'new'], null, []] : [[`tag${i % 5}`], [`group${i % 2}`]],
  relatedUpcs: [`p${(i + 1) % productCount}`, null, `p${(i + 2) % productCount}`],
  category: categories[i % 4] ?? null,
}));

// 7 and 120 are coprime, so every product has exactly two reviews; every user has six, on three
// products reviewed twice each: entity fetches see the same key several times.
export const reviews: ReviewRecord[] = Array.from({ length: 240 }, (_, j) => ({
  id: `r${j}`,
  body: `Review ${j} of p${(j * 7) % productCount}`,
  rating: 1 + (j % 5),
  authorId: `u${j % userCount}`,
  productUpc: `p${(j * 7) % productCount}`,
}));

export const userById = new Map(users.map((user) => [user.id, user]));
export const productByUpc = new Map(products.map((product) => [product.upc, product]));
