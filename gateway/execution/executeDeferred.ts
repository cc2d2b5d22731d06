import type { DeferredNode, FetchNode, PlanNode } from '@apollo/query-planner';
import { GraphQLError, type SelectionNode } from 'graphql';
import type { DeferredPart } from '../streaming/ResultStream.js';
import type { ResultObject } from './collectEntities.js';
import { executePlan, type PlanRun } from './executePlan.js';
import { mergeInto } from './mergeInto.js';
import { placesOfDeferred } from './placesOfDeferred.js';
import type { Shaped } from './shapeResponse.js';
import { Cancellation } from '../resilience/Cancellation.js';

type Fetched = { data: ResultObject; errors: GraphQLError[] };
type Incremental = NonNullable<DeferredPart['incremental']>[number];

export interface DeferredShaping {
  /** The first payload: the operation without its deferred fragments. */
  initial(data: ResultObject): Shaped;
  /** A deferred part at one place: its subselection over the object fetched there. */
  part(fetched: ResultObject, selections: readonly SelectionNode[], queryPath: readonly string[]): Shaped;
  /** Whether an object of type `typename` matches a `... on condition` step. */
  isA(typename: string, condition: string): boolean;
}

/** A deferred operation under way: the first payload when the primary part is done, then the parts. */
export interface DeferredExecution {
  initial: Promise<{ data: ResultObject | null; errors: GraphQLError[]; valueCompletion: GraphQLError[] }>;
  parts: AsyncIterableIterator<DeferredPart>;
}

const condition = (run: PlanRun) => (name: string) => run.conditionValues.get(name) === true;

/**
 * Runs a plan with `Defer` nodes for a client that reads incremental delivery: the primary part
 * first (its fetches in waves, as any plan); each deferred part's fetches as soon as the fetches
 * it depends on are done (the planner's `depends`), into the same tree; its payload once the
 * first one is out, shaped by its own subselection at each place of its `queryPath`, with the
 * errors of its own fetches; a nested part after its parent. `parts` yields them in the order
 * they finish, `hasNext: false` on the last; `return()` on it stops every part not yet done
 * (no further fetch starts, those under way are aborted).
 */
export function executeDeferred(run: PlanRun, shaping: DeferredShaping): DeferredExecution {
  // Aborted by `return()` or when the client's request is: what the parts' fetches listen to.
  const signal = new Cancellation();
  const caller = run.caller.context.signal;
  if (caller.aborted) signal.abort(caller.reason);
  else caller.addEventListener('abort', () => signal.abort(caller.reason), { once: true });
  const stopped = () => signal.aborted;
  const base: PlanRun = { ...run, caller: { ...run.caller, context: { ...run.caller.context, signal } }, stopped };
  const data: ResultObject = Object.create(null);
  const queue = createPartQueue(() => signal.abort());
  let pending = 0;
  // What the client has been sent so far (its own copy): deferred parts are placed into it.
  let delivered: ResultObject | null = null;

  // Fetches by the id the planner gave them (`depends`), settled once their wave is done.
  const fetchDone = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const settlement = (id: string) => {
    let entry = fetchDone.get(id);
    if (!entry) {
      let resolve: () => void = () => {};
      const promise = new Promise<void>((settle) => (resolve = settle));
      fetchDone.set(id, (entry = { promise, resolve }));
    }
    return entry;
  };
  const onWave = (fetches: readonly FetchNode[]) => {
    for (const fetch of fetches) if (fetch.id !== undefined) settlement(fetch.id).resolve();
  };

  let initialSent: () => void = () => {};
  const initialOut = new Promise<void>((resolve) => (initialSent = resolve));

  const start = (block: DeferredNode, ready: Promise<unknown>) => {
    pending += 1;
    // A bug while running a part costs that part, with an error the client sees (masked in
    // production), never the parts after it or the answer's end.
    void runBlock(block, ready).catch((error: unknown) => {
      pending -= 1;
      const failure = new GraphQLError(`The deferred part could not be completed: ${(error as Error)?.message ?? String(error)}`);
      const path = block.queryPath.filter((step) => !step.startsWith('... on '));
      queue.push({ incremental: [{ data: null, path, errors: [failure] }], hasNext: pending > 0 });
    });
  };

  const runBlock = async (block: DeferredNode, ready: Promise<unknown>): Promise<void> => {
    await ready;
    const node: PlanNode | undefined = block.node;
    const fetched: Fetched = node && !stopped() ? await executePlan({ ...base, from: node, data, onWave }) : { data, errors: [] };
    await initialOut;
    if (stopped()) return;
    const subselection = node?.kind === 'Defer' ? node.primary.subselection : block.subselection;
    const incremental = shapeBlock(block, run.plan.subselection(subselection), fetched.errors);
    // Nested parts go after their parent, into what it delivered.
    const nested = node ? run.plan.deferred(condition(run), node) : [];
    for (const child of nested) start(child, Promise.resolve());
    pending -= 1;
    queue.push({ incremental, hasNext: pending > 0 });
  };

  const shapeBlock = (block: DeferredNode, selections: readonly SelectionNode[], errors: readonly GraphQLError[]): Incremental[] => {
    const places = placesOfDeferred(delivered, data, block.queryPath, shaping.isA);
    // A label is a literal string; the planner passes a variable's AST node on as it is: no label.
    const label = typeof block.label === 'string' ? { label: block.label } : {};
    const items = places.map((place) => {
      const shaped = shaping.part(place.fetched, selections, block.queryPath);
      // A copy: the part itself may not be written out yet when a nested part lands in it.
      if (shaped.data) mergeInto(place.delivered, structuredClone(shaped.data));
      return { place, shaped, errors: [] as GraphQLError[] };
    });
    // Each fetch error goes with the place its path is under (the first place when none).
    const orphans: GraphQLError[] = [];
    for (const error of errors) {
      const owner = items.find((item) => isPrefix(item.place.path, error.path)) ?? items[0];
      if (owner) owner.errors.push(error);
      else orphans.push(error);
    }
    const incremental: Incremental[] = items.map(({ place, shaped, errors: own }) => {
      const completion = shaped.errors.map((error) => withPath(error, [...place.path, ...(error.path ?? [])]));
      if (own.length > 0) return { data: shaped.data, path: place.path, ...label, errors: own };
      if (completion.length > 0) return { data: shaped.data, path: place.path, ...label, extensions: { valueCompletion: completion } };
      return { data: shaped.data, path: place.path, ...label };
    });
    // Errors of a part with nowhere to go (its place was nulled meanwhile) still reach the client.
    if (orphans.length > 0) incremental.push({ data: null, path: block.queryPath.filter((step) => !step.startsWith('... on ')), ...label, errors: orphans });
    return incremental;
  };

  const initial = (async () => {
    const blocks = run.plan.deferred(condition(run));
    const primaryDone = executePlan({ ...base, data, onWave });
    // A part waits for the fetches it depends on, or for the whole primary part (a fetch a
    // condition left out never reports).
    for (const block of blocks) start(block, Promise.race([Promise.all(block.depends.map((dependency) => settlement(dependency.id).promise)), primaryDone]));
    const primary = await primaryDone;
    const shaped = shaping.initial(data);
    // A copy: the first payload is still to be written out (and patched) when parts land in it.
    delivered = shaped.data && structuredClone(shaped.data);
    return { data: shaped.data, errors: primary.errors, valueCompletion: shaped.errors };
  })();

  return {
    initial: initial.finally(() => initialSent()),
    parts: queue.iterator,
  };
}

/** Runs a deferred plan to the end for a client that takes one answer: every part, into one tree. */
export async function executeMerged(run: PlanRun): Promise<Fetched> {
  const data: ResultObject = Object.create(null);
  const errors: GraphQLError[] = [];
  const runAll = async (from: PlanNode | undefined): Promise<void> => {
    const fetched = await executePlan({ ...run, data, ...(from ? { from } : {}) });
    errors.push(...fetched.errors);
    const blocks = run.plan.deferred(condition(run), from);
    await Promise.all(blocks.map((block) => (block.node ? runAll(block.node) : undefined)));
  };
  await runAll(undefined);
  return { data, errors };
}

function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[] | undefined): boolean {
  if (!path || path.length < prefix.length) return false;
  return prefix.every((step, index) => path[index] === step);
}

// A shaping error's path is relative to the place its part was shaped at.
function withPath(error: GraphQLError, path: (string | number)[]): GraphQLError {
  return new GraphQLError(error.message, { path, extensions: error.extensions });
}

/** The parts, as an async iterator fed by the runner: waits when empty, ends after `hasNext: false`. */
function createPartQueue(onReturn: () => void) {
  const ready: DeferredPart[] = [];
  let waiting: ((result: IteratorResult<DeferredPart>) => void) | null = null;
  let finished = false;
  const iterator: AsyncIterableIterator<DeferredPart> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      const part = ready.shift();
      if (part) {
        if (!part.hasNext) finished = true;
        return Promise.resolve({ value: part, done: false });
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      finished = true;
      ready.length = 0;
      onReturn();
      waiting?.({ value: undefined, done: true });
      waiting = null;
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return {
    iterator,
    push(part: DeferredPart) {
      if (finished) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        if (!part.hasNext) finished = true;
        resolve({ value: part, done: false });
      } else ready.push(part);
    },
  };
}
