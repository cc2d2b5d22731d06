import { useEffect, useState } from 'react';

export type Route = { page: 'products' } | { page: 'product'; upc: string } | { page: 'sign-in' } | { page: 'not-found' };

/**
 * The page the location's hash names (`#/products/1`, `#/sign-in`). Hash routes need nothing
 * from the static server that serves the build: any path answers index.html's one file.
 */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return routeOf(hash);
}

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '/products') return { page: 'products' };
  if (path === '/sign-in') return { page: 'sign-in' };
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product) {
    try {
      return { page: 'product', upc: decodeURIComponent(product[1]!) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

export const productHref = (upc: string) => `#/products/${encodeURIComponent(upc)}`;
