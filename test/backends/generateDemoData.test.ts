import { describe, expect, it } from 'vitest';
import { createRandom } from '../../backends/data/createRandom.js';
import { generateDemoData } from '../../backends/data/generateDemoData.js';

const data = generateDemoData();
const sequence = (count: number) => Array.from({ length: count }, (_, i) => String(i + 1));

describe('generateDemoData', () => {
  it('has the default sizes and ids "1".."N"', () => {
    expect(data.users.map((user) => user.id)).toEqual(sequence(500));
    expect(data.products.map((product) => product.upc)).toEqual(sequence(500));
    expect(data.stock.map((level) => level.upc)).toEqual(sequence(500));
    expect(data.reviews.map((review) => review.id)).toEqual(sequence(5000));
  });

  it('is the same on every call, and different with another seed', () => {
    expect(generateDemoData()).toEqual(data);
    expect(generateDemoData({ seed: 7 })).toEqual(generateDemoData({ seed: 7 }));
    expect(generateDemoData({ seed: 7 })).not.toEqual(data);
  });

  it('returns fresh objects, so one caller mutating its copy cannot change another', () => {
    const copy = generateDemoData();
    copy.products[0]!.price = -1;
    copy.reviews.push({ ...copy.reviews[0]!, id: 'extra' });
    expect(generateDemoData().products[0]!.price).not.toBe(-1);
    expect(generateDemoData().reviews).toHaveLength(5000);
  });

  it('makes plausible users with unique usernames and emails', () => {
    for (const user of data.users) {
      expect(user.name).toMatch(/^[A-Z][a-z]+ [A-Za-z -]+$/);
      expect(user.email).toMatch(/^[a-z.]+\d+@example\.(com|org|net)$/);
    }
    expect(new Set(data.users.map((user) => user.username)).size).toBe(500);
    expect(new Set(data.users.map((user) => user.email)).size).toBe(500);
  });

  it('makes products with positive integer prices (cents) and weights (grams)', () => {
    for (const product of data.products) {
      expect(product.name).toMatch(/^\w+ \w+ \w+$/);
      expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
      expect(Number.isInteger(product.weight) && product.weight > 0).toBe(true);
    }
    expect(new Set(data.products.map((product) => product.price)).size).toBeGreaterThan(100);
  });

  it('has some products out of stock (quantity 0) and the rest in stock', () => {
    const out = data.stock.filter((level) => !level.inStock);
    expect(out.length).toBeGreaterThan(10);
    expect(out.length).toBeLessThan(250);
    for (const level of data.stock) {
      expect(level.inStock).toBe(level.quantity > 0);
      expect(level.warehouse).not.toBe('');
    }
  });

  it('gives every user and every product several reviews, with ratings 1 to 5', () => {
    const perAuthor = countBy(data.reviews.map((review) => review.authorId));
    const perProduct = countBy(data.reviews.map((review) => review.productUpc));
    expect([...perAuthor.keys()].sort()).toEqual(sequence(500).sort());
    expect([...perProduct.keys()].sort()).toEqual(sequence(500).sort());
    expect(median([...perAuthor.values()])).toBeGreaterThanOrEqual(5);
    expect(median([...perProduct.values()])).toBeGreaterThanOrEqual(5);
    expect(new Set(data.reviews.map((review) => review.rating))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(data.reviews.every((review) => review.body.length > 0)).toBe(true);
  });

  it('takes other sizes', () => {
    const small = generateDemoData({ userCount: 3, productCount: 2, reviewCount: 10 });
    expect([small.users.length, small.products.length, small.stock.length, small.reviews.length]).toEqual([3, 2, 2, 10]);
    expect(small.reviews.every((review) => Number(review.authorId) <= 3 && Number(review.productUpc) <= 2)).toBe(true);
  });

  it.each([{ userCount: -1 }, { reviewCount: 1.5 }, { outOfStockRatio: 2 }])('refuses %o with a TypeError', (options) => {
    expect(() => generateDemoData(options)).toThrow(TypeError);
  });
});

describe('createRandom', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const values = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const ints = Array.from({ length: 1000 }, () => a.int(1, 3));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
  });
});

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}
