import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalSubgraph } from './ledger/journal.js';
import { resetLedger } from './ledger/ledgerState.js';
import { walletSubgraph } from './ledger/wallet.js';
import { startParity, type Parity } from './support/startParity.js';

let ledger: Parity;

beforeAll(async () => {
  // Development mode: the refusals below carry a code of the wallet's own (INSUFFICIENT_FUNDS),
  // which production would mask as INTERNAL_SERVER_ERROR.
  ledger = await startParity([walletSubgraph, journalSubgraph], { porticoConfig: { mode: 'development' } });
});

afterAll(async () => {
  await ledger?.close();
});

// Every operation starts from an empty ledger, for each gateway.
const fresh = { before: resetLedger };

describe('mutations: Portico answers as Apollo Gateway does', () => {
  it('root mutation fields of two subgraphs run one after the other, in document order', async () => {
    const body = await ledger.expectSame(
      {
        query: `mutation {
          first: deposit(amount: 10) { seq balance }
          second: note(text: "after the deposit") { seq seenBalance }
          third: withdraw(amount: 4) { seq balance }
          fourth: note(text: "after the withdrawal") { seq seenBalance }
        }`,
      },
      fresh,
    );
    expect(body.data).toEqual({
      first: { seq: 1, balance: 10 },
      second: { seq: 2, seenBalance: 10 },
      third: { seq: 3, balance: 6 },
      fourth: { seq: 4, seenBalance: 6 },
    });
  });

  it('entity fields of a mutation result are fetched before the next mutation field runs', async () => {
    const body = await ledger.expectSame(
      {
        query: `mutation Moves($a: Int!, $b: Int!) {
          deposit(amount: $a) { seq account { balance history } }
          note(text: "between") { account { balance history } }
          withdraw(amount: $b) { balance account { history } }
        }`,
        variables: { a: 50, b: 20 },
      },
      fresh,
    );
    expect(body.data?.deposit).toEqual({ seq: 1, account: { balance: 50, history: ['1 wallet: deposit 50'] } });
  });

  it('a mutation field that fails is null with its error; the later ones still run', async () => {
    const body = await ledger.expectSame(
      {
        query: `mutation {
          withdraw(amount: 5) { seq balance }
          note(text: "after a refusal") { seq text account { history } }
          deposit(amount: 1) { seq }
        }`,
      },
      { ...fresh, failures: true },
    );
    expect(body.data).toEqual({
      withdraw: null,
      note: { seq: 1, text: 'after a refusal', account: { history: ['1 journal: after a refusal'] } },
      deposit: { seq: 2 },
    });
  });

  it('a failing non-null mutation field nulls the whole data, after the fields before it ran', async () => {
    const body = await ledger.expectSame(
      { query: 'mutation { a: note(text: "first") { seq } b: deposit(amount: -1) { seq } c: note(text: "never") { seq } }' },
      { ...fresh, failures: true },
    );
    expect(body.data).toBeNull();
  });

  it('the same mutation field several times under aliases, with a query after it', async () => {
    await ledger.expectSame(
      {
        query:
          'mutation { a: deposit(amount: 1) { seq balance } b: deposit(amount: 2) { seq balance } c: deposit(amount: 3) { seq balance account { history } } }',
      },
      fresh,
    );
    await ledger.expectSame({ query: '{ account { id balance history } }' }, fresh);
  });
});
