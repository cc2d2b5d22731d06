import { ErrorCode } from '../../common/errorCodes.js';
import type { CallOptions, RestClient } from '../kit/rest/createRestClient.js';

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
  /** One review; null when the service does not know it. */
  byId(id: string, call: CallOptions): Promise<ReviewRecord | null>;
  forProduct(upc: string, call: CallOptions): Promise<ReviewRecord[]>;
  forUser(userId: string, call: CallOptions): Promise<ReviewRecord[]>;
  create(review: NewReview, call: CallOptions): Promise<ReviewRecord>;
}

export function createReviewsApi(client: RestClient): ReviewsApi {
  const segment = encodeURIComponent;
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
