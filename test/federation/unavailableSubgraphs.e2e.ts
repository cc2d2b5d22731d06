import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSubgraph } from './faults/billing.js';
import { ordersSubgraph } from './faults/orders.js';
import { expectSameStatusAndData } from './support/expectSameStatusAndData.js';
import { startBrokenSubgraph, type BrokenSubgraph } from './support/startBrokenSubgraph.js';
import { startParity, type Parity } from './support/startParity.js';

// Where Portico deliberately differs from vanilla Apollo Gateway. When a subgraph gives no
// GraphQL answer, Apollo Gateway reports the fetch failure as it caught it: no path, no
// serviceName, code INTERNAL_SERVER_ERROR, the subgraph's URL in the message and, for an HTTP
// error, the subgraph's response body in `extensions.response`. Portico codes the failure
// (SUBGRAPH_UNAVAILABLE, SUBGRAPH_ERROR, SUBGRAPH_TIMEOUT), names the subgraph, gives the path of
// the field whose fetch failed, and leaks neither URL nor body. So here only the HTTP status and
// the data are compared, and each gateway's errors are asserted as they are.

let billingDown: Parity;
let billingCrashing: Parity;
let ordersDown: Parity;
let crashingServer: BrokenSubgraph;

/** The URL of a port that refuses connections: a server's, once it has stopped. */
async function refusedUrl(): Promise<string> {
  const stopped = await startBrokenSubgraph(500, '');
  await stopped.stop();
  return stopped.url;
}

beforeAll(async () => {
  billingDown = await startParity([ordersSubgraph], { elsewhere: [{ ...billingSubgraph, url: await refusedUrl() }] });
  crashingServer = await startBrokenSubgraph(500, 'upstream crashed');
  billingCrashing = await startParity([ordersSubgraph], { elsewhere: [{ ...billingSubgraph, url: crashingServer.url }] });
  ordersDown = await startParity([billingSubgraph], { elsewhere: [{ ...ordersSubgraph, url: await refusedUrl() }] });
});

afterAll(async () => {
  await Promise.all([billingDown?.close(), billingCrashing?.close(), ordersDown?.close()]);
  await crashingServer?.stop();
});

const refused = { message: expect.stringMatching(/ECONNREFUSED/), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
const porticoUnavailable = (subgraph: string, path: (string | number)[]) => ({
  // "could not be reached (ECONNREFUSED)", unless another process has taken the freed port.
  message: expect.stringMatching(new RegExp(`^Subgraph "${subgraph}" `)),
  path,
  extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: subgraph },
});

describe("a subgraph that is down or broken: Portico keeps Apollo Gateway's data and status, and codes the error", () => {
  it('connection refused in an entity fetch: nullable fields null', async () => {
    const answers = await billingDown.ask({ query: '{ ordersById(ids: ["o1", "o2"]) { id label total } }' });
    expectSameStatusAndData(answers);
    expect(answers.apollo.body.data).toEqual({
      ordersById: [
        { id: 'o1', label: 'Order 1', total: null },
        { id: 'o2', label: 'Order 2', total: null },
      ],
    });
    expect(answers.apollo.body.errors).toEqual([refused]);
    expect(answers.portico.body.errors).toEqual([porticoUnavailable('billing', ['ordersById'])]);
  });

  it('connection refused in an entity fetch of non-null fields: the entities are null', async () => {
    const answers = await billingDown.ask({ query: '{ ordersById(ids: ["o1"]) { label paidAt } }' });
    expectSameStatusAndData(answers);
    expect(answers.apollo.body.data).toEqual({ ordersById: [null] });
    expect(answers.portico.body.errors).toEqual([porticoUnavailable('billing', ['ordersById'])]);
  });

  it('connection refused at the root: data is null', async () => {
    const answers = await ordersDown.ask({ query: '{ ordersById(ids: ["o1"]) { id total } }' });
    expectSameStatusAndData(answers);
    expect(answers.apollo.body.data).toBeNull();
    expect(answers.apollo.body.errors).toEqual([refused]);
    expect(answers.portico.body.errors).toEqual([porticoUnavailable('orders', ['ordersById'])]);
  });

  it('HTTP 500 with a body that is not GraphQL', async () => {
    const answers = await billingCrashing.ask({ query: '{ ordersById(ids: ["o1", "o3"]) { id total } }' });
    expectSameStatusAndData(answers);
    expect(answers.apollo.body.errors).toEqual([
      {
        message: '500: Internal Server Error',
        extensions: { code: 'INTERNAL_SERVER_ERROR', response: expect.objectContaining({ status: 500, body: 'upstream crashed' }) },
      },
    ]);
    expect(answers.portico.body.errors).toEqual([
      { message: 'Subgraph "billing" responded with HTTP 500', path: ['ordersById'], extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'billing' } },
    ]);
  });
});
