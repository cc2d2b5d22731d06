import { createRandom, type Random } from './createRandom.js';
import type { DemoData, Product, Review, StockLevel, User } from './types.js';
import {
  emailDomains,
  firstNames,
  lastNames,
  productAdjectives,
  productMaterials,
  productNouns,
  reviewClosings,
  reviewOpenings,
  warehouses,
} from './wordLists.js';

export interface DemoDataOptions {
  /** @default 500 */
  userCount?: number;
  /** @default 500 */
  productCount?: number;
  /** @default 5000 */
  reviewCount?: number;
  /** Seed of the PRNG; change it for different but still repeatable data. @default 20240601 */
  seed?: number;
  /** Share of products with nothing in stock, 0 to 1. @default 0.15 */
  outOfStockRatio?: number;
}

/**
 * The demo shop's data, the same on every call with the same options. Every call returns fresh
 * objects, so a server that mutates its copy cannot affect another server's.
 */
export function generateDemoData(options: DemoDataOptions = {}): DemoData {
  const userCount = countOption('userCount', options.userCount, 500);
  const productCount = countOption('productCount', options.productCount, 500);
  const reviewCount = countOption('reviewCount', options.reviewCount, 5000);
  const seed = countOption('seed', options.seed, 20240601);
  const outOfStockRatio = options.outOfStockRatio ?? 0.15;
  if (!(outOfStockRatio >= 0 && outOfStockRatio <= 1)) {
    throw new TypeError(`outOfStockRatio must be a number from 0 to 1, got ${String(options.outOfStockRatio)}`);
  }

  // One stream per kind of record, so changing how many users there are leaves products alone.
  const userRandom = createRandom(seed ^ 0x5eed0001);
  const users = range(userCount).map((i) => makeUser(i + 1, userRandom));
  const productRandom = createRandom(seed ^ 0x5eed0002);
  const products = range(productCount).map((i) => makeProduct(i + 1, productRandom));
  const stockRandom = createRandom(seed ^ 0x5eed0003);
  const stock = products.map((product) => makeStock(product.upc, stockRandom, outOfStockRatio));
  const reviews = makeReviews(reviewCount, users, products, createRandom(seed ^ 0x5eed0004));
  return { users, products, stock, reviews };
}

/** Validates a count-like option, printing the bad value the way DataLoader's options do. */
function countOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function makeUser(id: number, random: Random): User {
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  // The id suffix keeps usernames and emails unique even though names repeat.
  const username = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + id;
  return { id: String(id), username, name: `${first} ${last}`, email: `${username}@${random.pick(emailDomains)}` };
}

function makeProduct(upc: number, random: Random): Product {
  return {
    upc: String(upc),
    name: `${random.pick(productAdjectives)} ${random.pick(productMaterials)} ${random.pick(productNouns)}`,
    // Prices end in 99 or 49 cents, as shop prices do.
    price: random.int(1, 400) * 100 + random.pick([49, 99]),
    weight: random.int(50, 25_000),
  };
}

function makeStock(upc: string, random: Random, outOfStockRatio: number): StockLevel {
  const outOfStock = random.next() < outOfStockRatio;
  const quantity = outOfStock ? 0 : random.int(1, 250);
  return { upc, inStock: quantity > 0, warehouse: random.pick(warehouses), quantity };
}

// Skewed towards good ratings, like real shop reviews.
const ratingWeights = [1, 2, 3, 3, 4, 4, 4, 5, 5, 5] as const;

function makeReviews(count: number, users: User[], products: Product[], random: Random): Review[] {
  // The first reviews go round every user and every product once, so that (given enough
  // reviews) nobody has none; the rest are random.
  const authorOrder = random.shuffle(users);
  const productOrder = random.shuffle(products);
  return range(count).map((i) => {
    const author = authorOrder[i] ?? random.pick(users);
    const product = productOrder[i] ?? random.pick(products);
    return {
      id: String(i + 1),
      body: `${random.pick(reviewOpenings)} ${random.pick(reviewClosings)}`,
      rating: random.pick(ratingWeights),
      authorId: author.id,
      productUpc: product.upc,
    };
  });
}
