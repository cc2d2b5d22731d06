import type { DeferredNode, PlanNode } from '@apollo/query-planner';

/**
 * The deferred parts of the `Defer` nodes a plan runs before them, for these `Condition`
 * outcomes: what `schedulePlan` leaves out. A deferred part's own deferred parts (nested
 * `@defer`) are not among them: they wait for it (its node is then itself a `Defer`).
 */
export function deferredBlocksOf(node: PlanNode | undefined, condition: (variable: string) => boolean): DeferredNode[] {
  const blocks: DeferredNode[] = [];
  const visit = (current: PlanNode | undefined): void => {
    if (!current) return;
    switch (current.kind) {
      case 'Fetch':
        return;
      case 'Flatten':
        visit(current.node);
        return;
      case 'Sequence':
      case 'Parallel':
        for (const child of current.nodes) visit(child);
        return;
      case 'Condition':
        visit(condition(current.condition) ? current.ifClause : current.elseClause);
        return;
      case 'Defer':
        visit(current.primary.node);
        blocks.push(...current.deferred);
        return;
    }
  };
  visit(node);
  return blocks;
}
