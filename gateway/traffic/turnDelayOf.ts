/** What a rule's counter said as it counted one operation. */
export interface Counted {
  /** Units spent in the rule's window, this operation's included. */
  consumedPoints: number;
  /** Until the window resets. */
  msBeforeNext: number;
}

/** One per-client rule as pacing sees it. */
export interface PacedRule {
  /** Units per window (operations, or cost units). */
  limit: number;
  windowSeconds: number;
}

/**
 * How long an operation must wait for its turn under a rule that paces its client
 * (`rateLimit.pace`), in ms (0: now). A client may spend `burst` units of a window at once, from
 * the window's start; past that, the window's units come at the rule's rate (`limit` per window,
 * evenly), and an operation's turn is when the units spent before it in the window have come. So
 * the operation that finds less than `burst` spent runs at once, and an expensive one runs
 * without waiting for its own cost: the ones after it wait for it.
 */
export function turnDelayOf(rule: PacedRule, counted: Counted, charged: number, burst: number): number {
  const windowMs = rule.windowSeconds * 1000;
  const spentBefore = counted.consumedPoints - charged;
  if (spentBefore < burst) return 0;
  const sinceWindowStart = windowMs - counted.msBeforeNext;
  const turn = ((spentBefore - burst + 1) * windowMs) / rule.limit;
  return Math.max(0, Math.ceil(turn - sinceWindowStart));
}

/** A rule's burst under `rateLimit.pace.burstPercent`: at least one unit. */
export function burstOf(rule: PacedRule, burstPercent: number): number {
  return Math.max(1, Math.floor((rule.limit * burstPercent) / 100));
}
