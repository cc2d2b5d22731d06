/** Orders from this price, in cents, ship free. */
export const freeShippingFromCents = 100_000;

/** Shipping cost in cents: free from 1,000.00, otherwise 1 cent per 2 grams, rounded up. */
export function shippingEstimate(priceCents: number, weightGrams: number): number {
  return priceCents >= freeShippingFromCents ? 0 : Math.ceil(weightGrams / 2);
}
