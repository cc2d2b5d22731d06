import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { graphQLOverHttpStatus } from '../../../common/http/graphQLOverHttpStatus.js';

const answer = (status: number | undefined, body: unknown, contentType = 'application/json; charset=utf-8'): HTTPGraphQLResponse => ({
  status,
  headers: new HeaderMap([['content-type', contentType]]),
  body: { kind: 'complete', string: JSON.stringify(body) },
});
const failed = (...codes: string[]) => ({ errors: codes.map((code) => ({ message: code, extensions: { code } })) });

describe('graphQLOverHttpStatus', () => {
  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_USER_INPUT'])(
    'answers %s with 200 in application/json and 400 in application/graphql-response+json',
    (code) => {
      expect(graphQLOverHttpStatus(answer(400, failed(code)))).toBe(200);
      expect(graphQLOverHttpStatus(answer(400, failed(code), 'application/graphql-response+json; charset=utf-8'))).toBe(400);
    },
  );

  it("keeps the gateway's own refusals, and mixed ones, as they are", () => {
    for (const code of ['MAX_DEPTH_EXCEEDED', 'COST_LIMIT_EXCEEDED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_ALLOWED']) {
      expect(graphQLOverHttpStatus(answer(400, failed(code)))).toBe(400);
    }
    expect(graphQLOverHttpStatus(answer(400, failed('GRAPHQL_VALIDATION_FAILED', 'COST_LIMIT_EXCEEDED')))).toBe(400);
    expect(graphQLOverHttpStatus(answer(401, failed('UNAUTHENTICATED')))).toBe(401);
    expect(graphQLOverHttpStatus(answer(503, failed('OVERLOADED')))).toBe(503);
  });

  it('leaves batches, answers with data, streams and bodies it cannot read alone', () => {
    expect(graphQLOverHttpStatus(answer(400, [failed('GRAPHQL_VALIDATION_FAILED')]))).toBe(400);
    expect(graphQLOverHttpStatus(answer(400, { data: null, ...failed('BAD_USER_INPUT') }))).toBe(400);
    expect(graphQLOverHttpStatus(answer(400, { errors: [] }))).toBe(400);
    expect(graphQLOverHttpStatus({ ...answer(400, {}), body: { kind: 'complete', string: 'not json' } })).toBe(400);
    const stream: HTTPGraphQLResponse = { status: 400, headers: new HeaderMap(), body: { kind: 'chunked', asyncIterator: (async function* () {})() } };
    expect(graphQLOverHttpStatus(stream)).toBe(400);
    expect(graphQLOverHttpStatus(answer(undefined, { data: { a: 1 } }))).toBe(200);
  });
});
