import type { Viewer } from '../../common/Viewer.js';

/** When the caller's token expires (epoch ms), from its verified `exp` claim; undefined when it has none. */
export function tokenExpiryOf(viewer: Viewer | null): number | undefined {
  if (viewer === null || !Object.hasOwn(viewer.claims, 'exp')) return undefined;
  const exp = viewer.claims.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
