import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createApolloClient } from './apollo/createApolloClient';
import { SessionProvider } from './session/SessionProvider';
import './styles.css';

const client = createApolloClient();
// Signed in or out: refetch what is on screen as the new caller.
const onSessionChange = () => void client.resetStore().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <SessionProvider onChange={onSessionChange}>
        <App />
      </SessionProvider>
    </ApolloProvider>
  </StrictMode>,
);
