/** Where a subgraph remembers the nonces of the signed requests it accepted, to refuse replays. */
export interface NonceStore {
  /**
   * Records `nonce` until `expiresAt` (epoch ms, when its signature stops being accepted anyway).
   * Resolves true the first time, false when it was already recorded: a replay.
   */
  claim(nonce: string, expiresAt: number): Promise<boolean>;
  close(): Promise<void>;
}
