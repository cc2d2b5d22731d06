import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSubgraph } from './faults/billing.js';
import { ordersSubgraph } from './faults/orders.js';
import type { Answer } from './support/askBoth.js';
import { expectSameStatusAndData } from './support/expectSameStatusAndData.js';
import { startParity, type Parity } from './support/startParity.js';

let faults: Parity;
let faultsInProduction: Parity;

beforeAll(async () => {
  // Development mode: subgraph errors reach the client as they do through vanilla Apollo Gateway.
  faults = await startParity([ordersSubgraph, billingSubgraph], { porticoConfig: { mode: 'development' } });
  faultsInProduction = await startParity([ordersSubgraph, billingSubgraph]);
});

afterAll(async () => {
  await Promise.all([faults?.close(), faultsInProduction?.close()]);
});

const failures = { failures: true };

describe('subgraph errors with paths: Portico answers as Apollo Gateway does', () => {
  it('a root field that throws: null, one error at its path, its siblings intact', async () => {
    const body = await faults.expectSame({ query: '{ broken ordersById(ids: ["o1"]) { label total } }' }, failures);
    expect(body.data).toEqual({ broken: null, ordersById: [{ label: 'Order 1', total: 100 }] });
    expect(body.errors).toEqual([expect.objectContaining({ message: 'orders database refused the connection', path: ['broken'] })]);
  });

  it('a coded error keeps its code and names the subgraph', async () => {
    const body = await faults.expectSame({ query: '{ forbidden }' }, failures);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', serviceName: 'orders' });
  });

  it('a non-null root field that throws nulls the whole data', async () => {
    const body = await faults.expectSame({ query: '{ looseOrders { id } brokenNonNull }' }, failures);
    expect(body.data).toBeNull();
  });

  it('a field error in an entity fetch: the path goes into the list', async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o2", "o1"]) { id label total } }' }, failures);
    expect(body.errors?.map((error) => error.path)).toEqual([['ordersById', 1, 'total']]);
  });

  it("an entity whose reference resolver rejects: that entity's fields are null", async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o5", "o2"]) { label total invoice { number } } }' }, failures);
    expect(body.errors?.map((error) => error.path)).toHaveLength(3);
    expect(body.errors?.map((error) => error.path)).toEqual(
      expect.arrayContaining([
        ['ordersById', 1],
        ['ordersById', 2, 'total'],
        ['ordersById', 2, 'invoice', 'number'],
      ]),
    );
  });

  it("an entity fetch that fails as a whole: every entity's fields are null, one error", async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o7"]) { label total } }' }, failures);
    expect(body.data).toEqual({
      ordersById: [
        { label: 'Order 1', total: null },
        { label: 'Order 7', total: null },
      ],
    });
  });

  it('a subgraph that answers errors and partial data, for a root list', async () => {
    const body = await faults.expectSame({ query: '{ looseOrders { id reference } }' }, failures);
    expect((body.data?.looseOrders as unknown[])[5]).toBeNull();
  });

  it('errors from both subgraphs in one answer, at several depths', async () => {
    await faults.expectSame(
      { query: '{ broken forbidden looseOrders { id total lines { sku qty } invoice { number pdf } } ordersById(ids: ["o5", "o2"]) { total } }' },
      failures,
    );
  });

  it('one entity fetch failing as a whole leaves another fetch to the same subgraph intact', async () => {
    // Two fetches to billing at the same level of the plan: o7 fails the first one entirely.
    const body = await faults.expectSame({ query: '{ looseOrders { id total } ordersById(ids: ["o1", "o2"]) { id total } }' }, failures);
    expect(body.data?.ordersById).toEqual([
      { id: 'o1', total: 100 },
      { id: 'o2', total: null },
    ]);
    expect(body.errors?.map((error) => error.path)).toEqual(
      expect.arrayContaining([
        ['ordersById', 1, 'total'],
        ['looseOrders', '@', '_entities'],
      ]),
    );
  });

  it('the same failing entity several times in a list', async () => {
    await faults.expectSame({ query: '{ ordersById(ids: ["o2", "o2", "o1", "o2"]) { total paidAt } }' }, failures);
  });
});

describe('nulls propagate per the GraphQL spec: Portico answers as Apollo Gateway does', () => {
  it('a non-null field null in an entity fetch nulls the entity, in a list of nullable items', async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o3"]) { label paidAt } }' }, failures);
    expect(body.data).toEqual({ ordersById: [{ label: 'Order 1', paidAt: '2024-01-01' }, null] });
  });

  it('a null item in a list of non-null items nulls the list', async () => {
    const body = await faults.expectSame({ query: '{ strictOrdersById(ids: ["o1", "o3"]) { paidAt } ordersById(ids: ["o1"]) { label } }' }, failures);
    expect(body.data).toEqual({ strictOrdersById: null, ordersById: [{ label: 'Order 1' }] });
  });

  it('null bubbles through a non-null list to data', async () => {
    const body = await faults.expectSame({ query: '{ orders { id paidAt } }' }, failures);
    expect(body.data).toBeNull();
  });

  it('an entity the other subgraph does not know: its nullable fields are null, silently', async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o4", "o1"]) { id label total invoice { number } payments { amount } } }' });
    expect((body.data?.ordersById as unknown[])[0]).toEqual({ id: 'o4', label: 'Order 4', total: null, invoice: null, payments: null });
  });

  it('an entity the other subgraph does not know, under a non-null field', async () => {
    await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o4"]) { id paidAt } }' }, failures);
  });

  it('a null non-null field of a nested object nulls the object; of a list item, the list', async () => {
    await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o2", "o6"]) { id invoice { number pdf } payments { amount method } } }' }, failures);
  });

  it("a null inside the originating subgraph's own list of non-null objects", async () => {
    await faults.expectSame({ query: '{ ordersById(ids: ["o2", "o1"]) { id lines { sku qty } total } }' }, failures);
  });

  it('unknown ids and __typename only', async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o9", "o4", "o1"]) { __typename id } }' });
    expect(body.data).toEqual({ ordersById: [null, { __typename: 'Order', id: 'o4' }, { __typename: 'Order', id: 'o1' }] });
  });
});

describe('in production mode Portico masks what Apollo Gateway shows, and keeps the rest', () => {
  // Deliberate: an error whose code is not one Portico knows as deliberate (a subgraph's bug, a
  // null where the schema promised a value, a subgraph's own code) goes out as "Internal server
  // error" with its path and serviceName only. Status, data and every error's path and
  // serviceName stay as Apollo Gateway has them, and so do errors with a deliberate code.
  const masked = (path: (string | number)[], serviceName: string) => ({
    message: 'Internal server error',
    path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName },
  });
  const placeOf = (answer: Answer) => (answer.body.errors ?? []).map(({ path, extensions }) => JSON.stringify([path, extensions?.serviceName])).sort();

  it('uncoded subgraph errors and null-propagation errors are masked; FORBIDDEN is not', async () => {
    const answers = await faultsInProduction.ask({ query: '{ broken forbidden ordersById(ids: ["o1", "o3"]) { id paidAt } }' });
    expectSameStatusAndData(answers);
    expect(placeOf(answers.portico)).toEqual(placeOf(answers.apollo));
    expect(answers.portico.body.errors).toHaveLength(3);
    expect(answers.portico.body.errors).toEqual(
      expect.arrayContaining([
        masked(['broken'], 'orders'),
        { message: 'Only auditors may read this', path: ['forbidden'], extensions: { code: 'FORBIDDEN', serviceName: 'orders' } },
        masked(['ordersById', 1, 'paidAt'], 'billing'),
      ]),
    );
  });

  it("a subgraph's own code is masked, at Apollo Gateway's path", async () => {
    const answers = await faultsInProduction.ask({ query: '{ ordersById(ids: ["o2", "o7"]) { total } }' });
    expectSameStatusAndData(answers);
    expect(answers.apollo.body.errors).toEqual([
      // Apollo Gateway's own path for a failed entity fetch, "@" standing for every list item.
      { message: 'Billing index corrupt', path: ['ordersById', '@', '_entities'], extensions: { code: 'INDEX_CORRUPT', serviceName: 'billing' } },
    ]);
    expect(answers.portico.body.errors).toEqual([masked(['ordersById', '@', '_entities'], 'billing')]);
  });
});
