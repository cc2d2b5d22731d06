import { postGraphQL, type GraphQLBody } from '../../gateway/fixtures/postGraphQL.js';

/** A GraphQL request as a client sends it. */
export interface Operation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A GraphQL response body, with the top-level `extensions` Apollo Gateway may add. */
export type AnswerBody = GraphQLBody & { extensions?: Record<string, unknown> };

/** What one gateway answered: the HTTP status, the parsed body and the body's exact text. */
export interface Answer {
  status: number;
  body: AnswerBody;
  text: string;
}

export interface TwoAnswers {
  apollo: Answer;
  portico: Answer;
}

export interface GatewayOrigins {
  apollo: string;
  portico: string;
}

/**
 * Sends one operation to vanilla Apollo Gateway, then the same bytes to Portico. One after the
 * other, so that a scenario whose subgraphs keep state (mutations) sees the same state for each
 * when it resets it in between (`before`).
 */
export async function askBoth(origins: GatewayOrigins, operation: Operation, before?: () => void): Promise<TwoAnswers> {
  before?.();
  const apollo = await ask(origins.apollo, operation);
  before?.();
  const portico = await ask(origins.portico, operation);
  return { apollo, portico };
}

// Both are asked in GraphQL over HTTP's own media type, in which request errors (parse, validation,
// variable coercion) are 400 from either. Under the legacy application/json Portico answers them
// with 200 as the spec asks, where Apollo Server keeps 400: a difference on purpose, tested in
// test/hostile/edge.e2e.ts.
const accept = { accept: 'application/graphql-response+json' };

async function ask(origin: string, operation: Operation): Promise<Answer> {
  const { response, body } = await postGraphQL(origin, operation, accept);
  return { status: response.status, body: body as AnswerBody, text: JSON.stringify(body) };
}
