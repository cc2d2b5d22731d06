import { type FormEvent, useId, useState } from 'react';
import { readTokenClaims } from './readTokenClaims';
import { useSession } from './SessionProvider';

/**
 * Signing in with a development token: `npx portico token --sub 7` prints one the gateway of
 * `npm start` accepts. A real deployment would put its identity provider's login here; the
 * gateway only ever sees the bearer token either way.
 */
export function SignInPage() {
  const { token, claims, signIn, signOut } = useSession();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = draft.trim().replace(/^Bearer\s+/i, '');
    const read = readTokenClaims(value);
    if (!read) {
      setProblem('That does not look like a token: paste the whole line `npx portico token` printed.');
      return;
    }
    if (read.expiresAt !== null && read.expiresAt < Date.now()) {
      setProblem('That token has expired. Mint a new one.');
      return;
    }
    setProblem(null);
    signIn(value);
    setDraft('');
    window.location.hash = '#/products';
  };

  return (
    <section aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      {token && (
        <div className="notice" role="status">
          <p>
            You are signed in{claims?.sub ? ` as user ${claims.sub}` : ''}
            {claims?.role ? ` (${claims.role})` : ''}.
          </p>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      )}
      <p>In development, mint a token in a terminal and paste it here:</p>
      <pre>
        <code>npx portico token --sub 7{'\n'}npx portico token --sub 7 --claim role=staff # also sees units on hand</code>
      </pre>
      <form onSubmit={submit} className="sign-in-form">
        <label htmlFor={id}>Development token</label>
        <textarea id={id} value={draft} onChange={(event) => setDraft(event.target.value)} rows={4} required spellCheck={false} autoComplete="off" />
        <button type="submit">Sign in</button>
        {problem && (
          <p className="notice notice-error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </section>
  );
}
