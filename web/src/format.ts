const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Cents as the shop shows them: $12.34. */
export const formatPrice = (cents: number) => money.format(cents / 100);

/** The mean of some star ratings to one decimal, or null when there are none. */
export function averageRating(ratings: readonly number[]): number | null {
  if (ratings.length === 0) return null;
  return Math.round((ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length) * 10) / 10;
}
