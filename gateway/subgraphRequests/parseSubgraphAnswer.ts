import { classifySubgraphFailure, InvalidSubgraphAnswer } from '../resilience/classifySubgraphFailure.js';
import type { SubgraphResponse } from './createSubgraphClient.js';

/**
 * A subgraph's 2xx body as a GraphQL response; anything else is a coded error. A de-duplicated
 * answer is parsed once and copied for each caller but one (`SharedAnswer`), since the gateway
 * merges into what it gets.
 */
export function parseSubgraphAnswer(raw: string, name: string): SubgraphResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw classifySubgraphFailure(new InvalidSubgraphAnswer('the body is not JSON', { cause: error }), name, 0).error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw classifySubgraphFailure(new InvalidSubgraphAnswer('the body is not a JSON object'), name, 0).error;
  }
  return parsed as SubgraphResponse;
}
