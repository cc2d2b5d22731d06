import { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { Observable } from 'rxjs';
import { persistedHashOf } from './persistedHashes';

/**
 * The link subscriptions take: each one a `subscribe` message on the app's one `graphql-ws`
 * connection. Apollo's `GraphQLWsLink` always sends the document's text; this one sends, when
 * `persisted`, what the HTTP path sends: not the document, only its manifest hash in
 * `extensions.persistedQuery`, so that a gateway in `trustedDocuments.mode: require` runs it.
 */
export function createSubscriptionLink(client: Client, persisted: boolean): ApolloLink {
  return new ApolloLink(
    (operation) =>
      new Observable((observer) => {
        const { query, variables, operationName } = operation;
        // graphql-ws refuses to send a payload without a string `query`: the empty one stands for
        // none (the gateway reads `""` with a persisted hash as no query).
        const payload = persisted
          ? { operationName, variables, query: '', extensions: { persistedQuery: { version: 1, sha256Hash: persistedHashOf(query) } } }
          : { operationName, variables, query: print(query) };
        return client.subscribe(payload, {
          next: (result) => observer.next(result as ApolloLink.Result),
          complete: () => observer.complete(),
          error: (error) => observer.error(linkErrorOf(error)),
        });
      }),
  );
}

/** What graphql-ws reports (an Error, a CloseEvent, or the `error` message's GraphQL errors) as Apollo Client's errors. */
function linkErrorOf(error: unknown): Error {
  if (error instanceof Error) return error;
  if (Array.isArray(error)) return new CombinedGraphQLErrors({ errors: error });
  if (typeof error === 'object' && error !== null && 'code' in error && 'reason' in error)
    return new Error(`Socket closed with event ${String(error.code)} ${String(error.reason)}`);
  return new Error('Socket closed');
}
