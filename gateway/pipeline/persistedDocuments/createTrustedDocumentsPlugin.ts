import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, httpStatusOf } from '../../../common/errorCodes.js';
import type { Logger } from '../../../common/createLogger.js';
import type { TrustedDocumentsConfig } from '../../config/TrafficConfig.js';
import type { GatewayContext } from '../../GatewayContext.js';
import type { TrustedManifest } from '../../traffic/readManifest.js';

export interface TrustedDocumentsOptions {
  mode: Exclude<TrustedDocumentsConfig['mode'], 'off'>;
  manifest: TrustedManifest;
  logger: Logger;
}

/**
 * Trusted documents. A request may name a manifest document by id alone
 * (`extensions.persistedQuery.sha256Hash`, as Apollo Client's persisted query link sends it);
 * the plugin puts the body in before Apollo Server's APQ lookup, so it runs even when nobody
 * registered it. In `require` mode any other document is refused with 400
 * `PERSISTED_QUERY_NOT_ALLOWED` before it is planned (and so never registered as an APQ);
 * in `log-unknown` it runs and is logged, to find what a manifest misses before requiring it.
 */
export function createTrustedDocumentsPlugin(options: TrustedDocumentsOptions): ApolloServerPlugin<GatewayContext> {
  const { mode, manifest, logger } = options;
  return {
    async requestDidStart({ request }) {
      const id = request.extensions?.persistedQuery?.sha256Hash;
      const listed = typeof id === 'string' ? manifest.byId.get(id) : undefined;
      if (request.query === undefined && listed !== undefined) {
        // Apollo Server offers no other way to supply a document than the request it reads.
        request.query = listed;
      }
      return {
        async didResolveOperation({ source, operationName, queryHash }) {
          if (manifest.bodies.has(source)) return;
          if (mode === 'log-unknown') {
            logger.warn({ operationName, queryHash }, 'operation not in the trusted document manifest');
            return;
          }
          throw new GraphQLError(
            'This gateway runs only the operations of its trusted document manifest (trustedDocuments.mode: require); ' +
              'send a listed document, or its id in extensions.persistedQuery.sha256Hash',
            { extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED, http: { status: httpStatusOf.PERSISTED_QUERY_NOT_ALLOWED } } },
          );
        },
      };
    },
  };
}
