import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { config } from '../config';
import { currentToken } from '../session/SessionProvider';
import { createSubscriptionLink } from './createSubscriptionLink';
import { persistedHashOf } from './persistedHashes';

/**
 * The app's one Apollo Client. Subscriptions go over one WebSocket (`graphql-transport-ws`);
 * queries and mutations over HTTP: the signed-in token on every request, then (in production)
 * only the operation's manifest hash. `@defer`red parts arrive as `multipart/mixed` and are
 * merged by the Defer20220824Handler, the incremental format the gateway sends.
 */
export function createApolloClient(): ApolloClient {
  const auth = new SetContextLink((previous) => {
    const token = currentToken();
    return token ? { headers: { ...previous.headers, authorization: `Bearer ${token}` } } : {};
  });
  // The wire format the gateway's trusted documents accept: no `query`, and
  // `extensions.persistedQuery = { version: 1, sha256Hash }`. No fallback to sending the text:
  // a gateway in `require` mode would refuse it anyway, and an unknown hash means a stale app.
  const persisted = new PersistedQueryLink({
    generateHash: persistedHashOf,
    retry: () => false,
    disable: () => false,
  });
  const http = new HttpLink({ uri: config.graphqlUrl, headers: { 'apollographql-client-name': 'portico-shop-web' } });
  // Browsers cannot set headers on a WebSocket: the token goes in connection_init, read when the
  // socket opens (it opens with the first subscription and closes after the last one).
  const socket = createClient({
    url: webSocketUrlOf(config.graphqlUrl),
    connectionParams: () => {
      const token = currentToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  const client = new ApolloClient({
    link: ApolloLink.split(
      isSubscription,
      createSubscriptionLink(socket, config.persistedDocuments),
      ApolloLink.from(config.persistedDocuments ? [auth, persisted, http] : [auth, http]),
    ),
    incrementalHandler: new Defer20220824Handler(),
    cache: new InMemoryCache({
      typePolicies: {
        Product: { keyFields: ['upc'] },
      },
    }),
  });
  // Signed in or out (main.tsx resets the store): the open socket still speaks for the previous
  // caller. Dropping it makes graphql-ws reconnect, and resubscribe, with the token of now.
  client.onResetStore(async () => socket.terminate());
  return client;
}

/** The GraphQL URL (absolute, or a path on the page's origin as in development) with ws: or wss:. */
function webSocketUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
