import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacySubgraph } from './plans/legacy.js';
import { modernSubgraph } from './plans/modern.js';
import { startParity, type Parity } from './support/startParity.js';

let plans: Parity;

beforeAll(async () => {
  plans = await startParity([legacySubgraph, modernSubgraph]);
});

afterAll(async () => {
  await plans?.close();
});

describe('@override, @shareable and @inaccessible: Portico answers as Apollo Gateway does', () => {
  it('an overridden field is read from the new owner, even under a root field of the old one', async () => {
    const body = await plans.expectSame({ query: '{ legacyPlan(id: "pro") { name monthlyFee tier } }' });
    expect(body.data).toEqual({ legacyPlan: { name: 'Pro', monthlyFee: 25, tier: 'PAID' } });
  });

  it('a root field of the new owner needs no fetch to the old one for the overridden field', async () => {
    const body = await plans.expectSame({ query: '{ plan(id: "team") { monthlyFee name servedBy features } }' });
    expect(body.data).toEqual({ plan: { monthlyFee: 80, name: 'Team', servedBy: 'modern', features: ['email', 'sso', 'audit'] } });
  });

  it('shareable fields are answered by the subgraph the plan is already in', async () => {
    // servedBy says which subgraph answered; a plan that moved a shareable field elsewhere would show.
    await plans.expectSame({ query: '{ legacyPlan(id: "basic") { servedBy name tier monthlyFee servedByAgain: servedBy } }' });
  });

  it('a shareable root field, with fields only one subgraph has', async () => {
    const body = await plans.expectSame({ query: '{ plans { id servedBy name monthlyFee features } }' });
    expect((body.data?.plans as unknown[]).length).toBe(3);
  });

  it('@requires of an @inaccessible field: the gateway reads it though clients cannot', async () => {
    const body = await plans.expectSame({ query: '{ plans { id discountCode } plan(id: "basic") { discountCode } }' });
    expect(body.data?.plan).toEqual({ discountCode: 'SAVE-B-01' });
  });

  it('an @inaccessible field cannot be queried', async () => {
    await plans.expectSame({ query: '{ plans { id internalCode } }' }, { failures: true });
  });

  it('a subgraph answering an @inaccessible enum value: an error, and null up to the nearest nullable field', async () => {
    const body = await plans.expectSame({ query: '{ legacyPlan(id: "team") { name tier } plan(id: "basic") { name } }' }, { failures: true });
    expect(body.data).toEqual({ legacyPlan: null, plan: { name: 'Basic' } });
  });

  it('introspection shows neither @inaccessible fields nor @inaccessible enum values', async () => {
    const body = await plans.expectSame({
      query: '{ plan: __type(name: "Plan") { fields { name } } tier: __type(name: "Tier") { enumValues(includeDeprecated: true) { name } } }',
    });
    expect(JSON.stringify(body.data)).not.toMatch(/internalCode|GRANDFATHERED/);
  });
});
