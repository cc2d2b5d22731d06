import type { ResultObject } from './collectEntities.js';

/**
 * One node of the index: a trie that alternates a field's name and its value, so that finding
 * a representation already seen allocates nothing. Object values (custom scalars) are told
 * apart by their JSON, in a map of their own so that they never meet a string value.
 */
interface Node {
  next: Map<unknown, Node> | undefined;
  byJson: Map<string, Node> | undefined;
  /** At the node after a representation's last value: its index; -1 where none ends. */
  index: number;
}

export interface RepresentationIndex {
  /** The distinct representations, in the order first seen. */
  readonly representations: ResultObject[];
  /** The index of a representation equal to this one (same fields in the same order), adding it if new. */
  add(representation: ResultObject): number;
  /**
   * The index of the representation made of `fields` of `source`, in that order; `build(source)`
   * makes it when it is new (and may answer null: no representation). -1 when a field is missing or
   * `build` made none; `build` is asked once per distinct set of values.
   */
  addFields(source: ResultObject, fields: readonly string[], build: (source: ResultObject) => ResultObject | null): number;
}

const NONE = -1;
// A set of values `build` made no representation of: remembered, so that it is not asked again.
const REFUSED = -2;

/**
 * De-duplicates the representations of an `_entities` call by value, so that a subgraph
 * resolves each entity once however many places in the response it fills.
 */
export function createRepresentationIndex(): RepresentationIndex {
  const root: Node = { next: undefined, byJson: undefined, index: NONE };
  const representations: ResultObject[] = [];

  const step = (node: Node, key: unknown): Node => {
    if (typeof key === 'object' && key !== null) {
      const json = JSON.stringify(key);
      node.byJson ??= new Map();
      let next = node.byJson.get(json);
      if (next === undefined) node.byJson.set(json, (next = { next: undefined, byJson: undefined, index: NONE }));
      return next;
    }
    node.next ??= new Map();
    let next = node.next.get(key);
    if (next === undefined) node.next.set(key, (next = { next: undefined, byJson: undefined, index: NONE }));
    return next;
  };

  return {
    representations,
    add(representation) {
      let node = root;
      for (const name in representation) node = step(step(node, name), representation[name]);
      if (node.index === NONE) node.index = representations.push(representation) - 1;
      return node.index;
    },
    addFields(source, fields, build) {
      let node = root;
      for (const name of fields) {
        const value = Object.hasOwn(source, name) ? source[name] : undefined;
        if (value === undefined) return NONE;
        node = step(step(node, name), value);
      }
      if (node.index === NONE) {
        const representation = build(source);
        node.index = representation === null ? REFUSED : representations.push(representation) - 1;
      }
      return node.index === REFUSED ? NONE : node.index;
    },
  };
}
