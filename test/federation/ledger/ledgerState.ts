/** One thing that happened, numbered in the order the subgraphs saw it. */
export interface LedgerEvent {
  seq: number;
  subgraph: 'wallet' | 'journal';
  text: string;
}

/**
 * The ledger scenario's state, shared by both its subgraphs (like one database): a balance and
 * the order of every write. A gateway that ran mutation fields out of order, or in parallel,
 * changes the sequence numbers and balances it answers.
 */
export const ledger = { balance: 0, events: [] as LedgerEvent[] };

/** Back to an empty ledger, before each gateway is asked. */
export function resetLedger(): void {
  ledger.balance = 0;
  ledger.events = [];
}

/** Records a write and returns its sequence number. */
export function recordEvent(subgraph: LedgerEvent['subgraph'], text: string): number {
  const seq = ledger.events.length + 1;
  ledger.events.push({ seq, subgraph, text });
  return seq;
}
