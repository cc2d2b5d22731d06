import type { RetryConfig } from '../config/GatewayConfig.js';

export interface RetryBudget {
  /** Counts a first attempt: it earns retries for later. */
  recordRequest(): void;
  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryWithdraw(): boolean;
}

export interface RetryBudgetOptions extends Pick<RetryConfig, 'budgetPercent' | 'budgetMinPerSecond'> {
  /** @default Date.now */
  now?: () => number;
}

// The window over which requests earn retries, in one-second slots (as Finagle and tower do).
const WINDOW_SECONDS = 10;

/**
 * How many retries one subgraph may still get: `budgetMinPerSecond` per second plus
 * `budgetPercent` of the first attempts made over the last ten seconds, minus the retries already
 * made then. A subgraph that fails everything so receives at most that much extra load, however
 * many clients retry against it.
 */
export function createRetryBudget(options: RetryBudgetOptions): RetryBudget {
  const now = options.now ?? Date.now;
  const requests = new Array<number>(WINDOW_SECONDS).fill(0);
  const retries = new Array<number>(WINDOW_SECONDS).fill(0);
  let currentSecond = Math.floor(now() / 1000);

  // Moves the window to the present, emptying the slots of the seconds that went by.
  const advance = (): number => {
    const second = Math.floor(now() / 1000);
    const passed = Math.min(second - currentSecond, WINDOW_SECONDS);
    for (let i = 1; i <= passed; i += 1) {
      const slot = (currentSecond + i) % WINDOW_SECONDS;
      requests[slot] = 0;
      retries[slot] = 0;
    }
    if (second > currentSecond) currentSecond = second;
    return currentSecond % WINDOW_SECONDS;
  };
  const sum = (slots: number[]) => slots.reduce((total, count) => total + count, 0);

  return {
    recordRequest() {
      requests[advance()]! += 1;
    },
    tryWithdraw() {
      const slot = advance();
      const allowed = options.budgetMinPerSecond * WINDOW_SECONDS + (sum(requests) * options.budgetPercent) / 100;
      if (sum(retries) + 1 > allowed) return false;
      retries[slot]! += 1;
      return true;
    },
  };
}
