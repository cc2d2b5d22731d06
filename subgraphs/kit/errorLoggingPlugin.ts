import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../common/errorCodes.js';
import type { RequestScope } from './requestScope.js';

// Errors with these codes are the caller's doing or a named backend failure: worth a warning.
// Anything else is a bug in this subgraph and is logged with its stack.
const expected = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

// Unexpected errors are logged one by one, with their stack, up to this many per request.
const maxDetailed = 5;

/**
 * Logs a request's errors with its request id: one warning that counts the expected ones by
 * code and shows the first, so that a request failing on 10,000 list items writes one line,
 * not 10,000; and each unexpected error (a bug) with its stack, up to a few.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<RequestScope> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          const counts: Record<string, number> = {};
          let detailed = 0;
          for (const error of errors) {
            const code = String(error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
            counts[code] = (counts[code] ?? 0) + 1;
            if (!expected.has(code) && detailed < maxDetailed) {
              detailed += 1;
              contextValue.logger.error({ code, path: error.path?.join('.'), operationName, err: error.originalError ?? error }, 'unexpected error');
            }
          }
          const first = errors[0]!;
          contextValue.logger.warn(
            { operationName, errors: counts, firstPath: first.path?.join('.') },
            `request failed with ${errors.length} error(s): ${first.message}`,
          );
        },
      };
    },
  };
}
