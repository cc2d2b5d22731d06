import { ErrorCode } from '../../common/errorCodes.js';
import type { CallOptions, RestClient } from '../kit/rest/createRestClient.js';
import { pathSegment as segment } from '../kit/rest/pathSegment.js';

/** A review as the reviews service returns it. */
export interface ReviewRecord {
  id: string;
  body: string;
  rating: number;
  authorId: string;
  productUpc: string;
}

/** Users and products as this subgraph sees them: only their keys. */
export interface UserReference {
  id: string;
}
export interface ProductReference {
  upc: string;
}

export interface NewReview {
  authorId: string;
  productUpc: string;
  body: string;
  rating: number;
}

/** The reviews REST service: per-item endpoints only, so every lookup is one call. */
export interface ReviewsApi {
  /** One review; null when the service does not know it, or no path can name it. */
  byId(id: string, call: CallOptions): Promise<ReviewRecord | null>;
  /** A product's reviews; NOT_FOUND, without a call, for a UPC no path can name (`.`, `..`, empty). */
  forProduct(upc: string, call: CallOptions): Promise<ReviewRecord[]>;
  /** A user's reviews; NOT_FOUND, without a call, for an id no path can name. */
  forUser(userId: string, call: CallOptions): Promise<ReviewRecord[]>;
  create(review: NewReview, call: CallOptions): Promise<ReviewRecord>;
}

export function createReviewsApi(client: RestClient): ReviewsApi {
  return {
    async byId(id, call) {
      try {
        return await client.get<ReviewRecord>(`/reviews/${segment(id)}`, call);
      } catch (error) {
        if ((error as { extensions?: { code?: unknown } }).extensions?.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      }
    },
    forProduct: (upc, call) => client.get<ReviewRecord[]>(`/products/${segment(upc)}/reviews`, call),
    forUser: (userId, call) => client.get<ReviewRecord[]>(`/users/${segment(userId)}/reviews`, call),
    create: (review, call) => client.post<ReviewRecord>('/reviews', review, call),
  };
}
