/** One gateway's run of the subscription scenario, at one number of subscribers. */
export interface SubscriptionRun {
  gateway: 'portico' | 'hive-gateway';
  name: string;
  subscribers: number;
  /** `failed`: the gateway did not start, or not every subscriber got a first event in time. */
  outcome: 'ok' | 'failed';
  problem?: string;
  /** Events written (one review each) during the measured window, the writes that failed left out. */
  eventsSent?: number;
  /** Reviews whose write failed (at most a tenth, else the run fails): neither they nor their deliveries are counted. */
  writesFailed?: number;
  /** Events that reached a subscriber (each event counts once per subscriber that got it). */
  eventsDelivered?: number;
  /** `eventsSent × subscribers − eventsDelivered`, after the drain. */
  eventsLost?: number;
  /** Deliveries per second over the window and its drain. */
  deliveredPerSecond?: number;
  /** From sending the mutation to a subscriber's receiving the event, in milliseconds. */
  latencyMs?: { p50: number; p99: number };
  /** The gateway's CPU seconds per wall second while events flowed (1 = one core busy). */
  gatewayCpu?: number;
  /** The gateway's CPU seconds per wall second with every subscription open and no event. */
  idleCpu?: number;
  /** The gateway's resident set size grown by 1,000 idle subscriptions, in bytes: (all open − one open) per 1,000. */
  rssPerThousandIdleBytes?: number;
  /**
   * The same over the second half of the subscribers only: (all open − half open) per 1,000. What
   * one more idle subscription costs once V8 has sized its heap for the set-up's garbage (a fixed
   * cost, some 15 to 30 MB, that the first figure spreads over the subscribers).
   */
  rssPerThousandIdleMarginalBytes?: number;
}

/** The subscription scenario of `npm run bench`: its settings and runs. */
export interface SubscriptionResults {
  /** Reviews written per second during the measured window. */
  eventsPerSecond: number;
  durationSeconds: number;
  /** The subscription every subscriber opens. */
  subscription: string;
  runs: SubscriptionRun[];
}
