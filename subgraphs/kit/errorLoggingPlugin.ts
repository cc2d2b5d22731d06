import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../common/errorCodes.js';
import type { RequestScope } from './requestScope.js';

// Errors with these codes are the caller's doing or a named backend failure: worth a warning.
// Anything else is a bug in this subgraph and is logged with its stack.
const expected = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

/** Logs every error a request produced, once, with the request id. */
export function errorLoggingPlugin(): ApolloServerPlugin<RequestScope> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code = String(error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
            const fields = { code, path: error.path?.join('.'), operationName };
            if (expected.has(code)) contextValue.logger.warn(fields, error.message);
            else contextValue.logger.error({ ...fields, err: error.originalError ?? error }, 'unexpected error');
          }
        },
      };
    },
  };
}
