import type { FetchNode, PlanNode, ResponsePath } from '@apollo/query-planner';

/** A fetch of the plan and where in the response it reads its entities and merges its data. */
export interface ScheduledFetch {
  fetch: FetchNode;
  /** The Flatten path (`['users', '@', 'reviews']`), `[]` for a root fetch. */
  path: ResponsePath;
}

interface Placed extends ScheduledFetch {
  /** The first wave it can run in: after every fetch it follows in a Sequence. */
  earliest: number;
  /** Whether a fetch follows it in some Sequence (and may need its data). */
  followed: boolean;
}

/**
 * The plan's fetches in waves. A fetch can run once every fetch it follows in a Sequence has
 * run, so each wave depends only on earlier ones and its fetches go out together; entity fetches
 * to one subgraph in one wave are merged into one request. To make those merges more frequent, an
 * entity query that no fetch follows (nothing waits for its data) is moved to a later wave that
 * calls its subgraph anyway; the number of waves, and so the response's latency in round trips,
 * does not change. `Condition` nodes are decided here. Of a `Defer` node, only its primary part
 * is scheduled: its deferred parts run later, each on its own (see `executeDeferred`).
 */
export function schedulePlan(node: PlanNode, condition: (variable: string) => boolean): ScheduledFetch[][] {
  const placed: Placed[] = [];
  // Places `current` to start at wave `from`; answers the wave after its last fetch.
  const visit = (current: PlanNode, path: ResponsePath, from: number, followed: boolean): number => {
    switch (current.kind) {
      case 'Fetch':
        placed.push({ fetch: current, path, earliest: from, followed });
        return from + 1;
      case 'Flatten':
        return visit(current.node, [...path, ...current.path], from, followed);
      case 'Sequence':
        return current.nodes.reduce((next, child, index) => visit(child, path, next, followed || current.nodes.slice(index + 1).some(hasFetch)), from);
      case 'Parallel':
        return current.nodes.reduce((latest, child) => Math.max(latest, visit(child, path, from, followed)), from);
      case 'Condition': {
        const branch = condition(current.condition) ? current.ifClause : current.elseClause;
        return branch ? visit(branch, path, from, followed) : from;
      }
      case 'Defer':
        // Only the primary part: each deferred part is a plan of its own (see deferredBlocksOf).
        return current.primary.node ? visit(current.primary.node, path, from, followed) : from;
    }
  };
  const count = visit(node, [], 0, false);

  const waveOf = new Map<Placed, number>(placed.map((fetch) => [fetch, fetch.earliest]));
  const mergeable = (fetch: Placed) => fetch.fetch.requires !== undefined && fetch.fetch.operationKind === 'query';
  const movable = (fetch: Placed) => mergeable(fetch) && !fetch.followed;
  for (const subgraph of new Set(placed.map((fetch) => fetch.fetch.serviceName))) {
    const mine = placed.filter((fetch) => fetch.fetch.serviceName === subgraph);
    const fixed = [...new Set(mine.filter((fetch) => mergeable(fetch) && !movable(fetch)).map((fetch) => fetch.earliest))].sort((a, b) => a - b);
    const loose: Placed[] = [];
    for (const fetch of mine.filter(movable)) {
      const joined = fixed.find((wave) => wave >= fetch.earliest);
      if (joined === undefined) loose.push(fetch);
      else waveOf.set(fetch, joined);
    }
    // The rest share the latest wave any of them needs (none of them: no wave to share).
    const last = Math.max(...loose.map((fetch) => fetch.earliest));
    for (const fetch of loose) waveOf.set(fetch, last);
  }

  const waves: ScheduledFetch[][] = Array.from({ length: count }, () => []);
  for (const fetch of placed) waves[waveOf.get(fetch)!]!.push({ fetch: fetch.fetch, path: fetch.path });
  return waves.filter((wave) => wave.length > 0);
}

function hasFetch(node: PlanNode): boolean {
  switch (node.kind) {
    case 'Fetch':
      return true;
    case 'Flatten':
      return hasFetch(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.some(hasFetch);
    case 'Condition':
      return (node.ifClause !== undefined && hasFetch(node.ifClause)) || (node.elseClause !== undefined && hasFetch(node.elseClause));
    case 'Defer':
      return node.primary.node !== undefined && hasFetch(node.primary.node);
  }
}
