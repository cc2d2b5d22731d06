import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSubgraph } from './faults/billing.js';
import { ordersSubgraph } from './faults/orders.js';
import { startParity, type Parity } from './support/startParity.js';

let faults: Parity;

beforeAll(async () => {
  faults = await startParity([ordersSubgraph, billingSubgraph]);
});

afterAll(async () => {
  await faults?.close();
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

  it('an entity whose reference resolver throws', async () => {
    await faults.expectSame({ query: '{ ordersById(ids: ["o1", "o5"]) { label total invoice { number } } }' }, failures);
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

  it('a null inside the originating subgraph\'s own list of non-null objects', async () => {
    await faults.expectSame({ query: '{ ordersById(ids: ["o2", "o1"]) { id lines { sku qty } total } }' }, failures);
  });

  it('unknown ids and __typename only', async () => {
    const body = await faults.expectSame({ query: '{ ordersById(ids: ["o9", "o4", "o1"]) { __typename id } }' });
    expect(body.data).toEqual({ ordersById: [null, { __typename: 'Order', id: 'o4' }, { __typename: 'Order', id: 'o1' }] });
  });
});
