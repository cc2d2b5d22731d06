import type { PlanNode } from '@apollo/query-planner';
import { describe, expect, it } from 'vitest';
import { schedulePlan, type ScheduledFetch } from '../../../gateway/execution/schedulePlan.js';
import { planFor, shopSubgraphs } from './planFor.js';

const BENCHMARK_QUERY = `
  fragment User on User { id username name }
  fragment Review on Review { id body }
  fragment Product on Product { inStock name price shippingEstimate upc weight }
  query TestQuery {
    users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
    topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
  }`;

const describeWave = (wave: ScheduledFetch[]) => wave.map(({ fetch, path }) => `${fetch.serviceName}@${path.join('.')}`).sort();
const subgraphsOf = (wave: ScheduledFetch[]) => [...new Set(wave.map(({ fetch }) => fetch.serviceName))].sort();

describe('schedulePlan', () => {
  it('puts the community benchmark query in 4 waves that call 6 subgraph requests in all, down from 16 fetches', () => {
    const { plan } = planFor(shopSubgraphs, BENCHMARK_QUERY);
    const waves = schedulePlan(plan.node as PlanNode, () => true);
    expect(waves.flat()).toHaveLength(16);
    expect(waves.map(subgraphsOf)).toEqual([['accounts', 'products'], ['reviews'], ['accounts', 'products'], ['inventory']]);
    // Every inventory fetch is a leaf: all seven wait for the last wave and go in one request.
    expect(waves[3]!.every(({ fetch }) => fetch.serviceName === 'inventory')).toBe(true);
    expect(waves[3]).toHaveLength(7);
  });

  it('never runs a fetch before the fetches it follows in a Sequence', () => {
    const { plan } = planFor(shopSubgraphs, BENCHMARK_QUERY);
    const waves = schedulePlan(plan.node as PlanNode, () => true);
    const waveOf = new Map(waves.flatMap((wave, index) => wave.map(({ fetch }) => [fetch, index] as const)));
    const check = (node: PlanNode): number[] => {
      switch (node.kind) {
        case 'Fetch':
          return [waveOf.get(node)!];
        case 'Flatten':
          return check(node.node);
        case 'Parallel':
          return node.nodes.flatMap(check);
        case 'Sequence': {
          const stages = node.nodes.map(check);
          for (let index = 1; index < stages.length; index += 1) {
            expect(Math.min(...stages[index]!)).toBeGreaterThan(Math.max(...stages[index - 1]!));
          }
          return stages.flat();
        }
        default:
          throw new Error(`unexpected ${node.kind}`);
      }
    };
    check(plan.node as PlanNode);
  });

  it('keeps a fetch that others wait for in its earliest wave', () => {
    const { plan } = planFor(shopSubgraphs, '{ topProducts { name shippingEstimate } }');
    const waves = schedulePlan(plan.node as PlanNode, () => true);
    expect(waves.map(describeWave)).toEqual([['products@'], ['inventory@topProducts.@']]);
  });

  it('follows Condition nodes with the variables it is given', () => {
    const query = 'query ($withReviews: Boolean!) { topProducts { name reviews @include(if: $withReviews) { body } } }';
    const { plan } = planFor(shopSubgraphs, query);
    expect(JSON.stringify(plan.node)).toContain('"Condition"');
    expect(schedulePlan(plan.node as PlanNode, () => true).map(describeWave)).toEqual([['products@'], ['reviews@topProducts.@']]);
    expect(schedulePlan(plan.node as PlanNode, () => false).map(describeWave)).toEqual([['products@']]);
  });
});
