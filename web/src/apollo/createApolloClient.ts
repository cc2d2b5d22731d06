import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { config } from '../config';
import { currentToken } from '../session/SessionProvider';
import { persistedHashOf } from './persistedHashes';

/**
 * The app's one Apollo Client: the signed-in token on every request, then (in production) only
 * the operation's manifest hash, then HTTP. Subscriptions will join here: a `split` that sends
 * subscription operations to a `GraphQLWsLink` and the rest down this chain (README, "Web client").
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
  return new ApolloClient({
    link: ApolloLink.from(config.persistedDocuments ? [auth, persisted, http] : [auth, http]),
    cache: new InMemoryCache({
      typePolicies: {
        Product: { keyFields: ['upc'] },
      },
    }),
  });
}
