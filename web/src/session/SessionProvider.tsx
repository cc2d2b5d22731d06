import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { readTokenClaims, type TokenClaims } from './readTokenClaims';

const storageKey = 'portico-shop-token';

export interface Session {
  /** The bearer token the gateway gets, or null when signed out. */
  token: string | null;
  /** What the token says about its holder (read, not verified: the gateway verifies it). */
  claims: TokenClaims | null;
  signIn(token: string): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

/**
 * The signed-in token, kept in localStorage so that a reload stays signed in. `onChange` runs
 * after a sign-in or out: what was fetched as someone else must not stay on screen.
 */
export function SessionProvider({ children, onChange }: { children: ReactNode; onChange(): void }) {
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(storageKey));
  const signIn = useCallback(
    (next: string) => {
      localStorage.setItem(storageKey, next);
      setToken(next);
      onChange();
    },
    [onChange],
  );
  const signOut = useCallback(() => {
    localStorage.removeItem(storageKey);
    setToken(null);
    onChange();
  }, [onChange]);
  const session = useMemo<Session>(() => ({ token, claims: token ? readTokenClaims(token) : null, signIn, signOut }), [token, signIn, signOut]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The token now, for the Apollo link that adds it to each request (read at send time, not render time). */
export function currentToken(): string | null {
  return localStorage.getItem(storageKey);
}
