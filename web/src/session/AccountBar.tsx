import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../errors/ErrorNotice';
import { describeError } from '../errors/describeError';
import { graphql } from '../generated';
import { useSession } from './SessionProvider';

const MeQuery = graphql(`
  query Me {
    me {
      id
      name
    }
  }
`);

/** Who is signed in, as the gateway sees the token (a refused token says so here). */
export function AccountBar() {
  const { token, signOut } = useSession();
  const { data, error } = useQuery(MeQuery, { skip: !token, errorPolicy: 'all' });
  if (!token) return <a href="#/sign-in">Sign in</a>;
  const refused = error ? describeError(error) : null;
  return (
    <span className="account">
      {refused?.code === 'UNAUTHENTICATED' ? <ErrorNotice description={refused} /> : <span>Signed in as {data?.me?.name ?? '…'}</span>}{' '}
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </span>
  );
}
