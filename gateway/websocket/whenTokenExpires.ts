import type { Viewer } from '../GatewayContext.js';

// Node's timers take at most this many ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expired` when the viewer's token does (at once if it has): the timer, unref'd, to clear
 * when the connection closes. None when the token has no `exp` or expires past what a timer can wait.
 */
export function whenTokenExpires(viewer: Viewer | null, expired: () => void): NodeJS.Timeout | undefined {
  const exp = viewer?.claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  const inMs = exp * 1000 - Date.now();
  if (inMs > MAX_TIMER_MS) return undefined;
  const timer = setTimeout(expired, Math.max(0, inMs));
  timer.unref();
  return timer;
}
