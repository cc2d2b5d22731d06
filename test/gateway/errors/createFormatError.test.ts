import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFormatError } from '../../../gateway/errors/createFormatError.js';

// As Apollo Server calls it: the error enriched (an uncoded one coded INTERNAL_SERVER_ERROR, its
// `http` taken out), then the original.
function format(mode: 'development' | 'production', error: GraphQLError) {
  const { http: _http, ...extensions } = error.extensions;
  return createFormatError({ mode })({ ...error.toJSON(), extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' } }, error);
}

describe('createFormatError', () => {
  it.each(['development', 'production'] as const)('codes an uncoded refusal with a 4xx status BAD_REQUEST and keeps its message (%s)', (mode) => {
    const refusal = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(format(mode, refusal)).toEqual({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
  });

  it('masks in production what has no deliberate code, whatever its status', () => {
    for (const error of [
      new GraphQLError('db password is hunter2', { extensions: { http: { status: 500 } } }),
      new GraphQLError('db password is hunter2'),
      new GraphQLError('db password is hunter2', { extensions: { code: 'SOMETHING_ELSE', http: { status: 400 } } }),
    ]) {
      expect(format('production', error)).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
  });

  it('keeps a code an error was given, and its message', () => {
    const coded = new GraphQLError('Rate limit exceeded', { extensions: { code: 'RATE_LIMITED', http: { status: 429 } } });
    expect(format('production', coded)).toEqual({ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED' } });
  });
});
