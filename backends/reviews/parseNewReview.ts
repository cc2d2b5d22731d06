import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';

/** What `POST /reviews` accepts. */
export interface NewReview {
  authorId: string;
  productUpc: string;
  body: string;
  rating: number;
}

const maxBodyLength = 2000;
const maxIdLength = 64;
const allowedFields = new Set(['authorId', 'productUpc', 'body', 'rating']);

/** Validates a parsed JSON body; every 400 names the field at fault. */
export function parseNewReview(input: unknown): NewReview {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(ErrorCode.BAD_REQUEST, 'request body must be a JSON object');
  }
  const record = input as Record<string, unknown>;
  // Unknown fields are refused rather than dropped, so a typo ('raiting') is not lost silently.
  const unknown = Object.keys(record).find((key) => !allowedFields.has(key));
  if (unknown !== undefined) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `unknown field '${unknown}'; allowed: ${[...allowedFields].join(', ')}`);
  }
  return {
    authorId: requireId(record, 'authorId'),
    productUpc: requireId(record, 'productUpc'),
    body: requireBody(record),
    rating: requireRating(record),
  };
}

function requireId(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxIdLength) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `field '${field}' must be a non-empty string of at most ${maxIdLength} characters`);
  }
  return value;
}

function requireBody(record: Record<string, unknown>): string {
  const value = record.body;
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxBodyLength) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `field 'body' must be a non-empty string of at most ${maxBodyLength} characters`);
  }
  return value;
}

function requireRating(record: Record<string, unknown>): number {
  const value = record.rating;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `field 'rating' must be an integer from 1 to 5, got ${JSON.stringify(value)}`);
  }
  return value;
}
