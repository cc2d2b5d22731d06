import type { ResultObject } from './collectEntities.js';

/**
 * One node of the index: a trie that alternates a field's name and its value, so that finding
 * a representation already seen allocates nothing. A node's first child is kept inline and a
 * map made only for a second one: a name node nearly always has one child (every entity of a
 * fetch has the same fields), so a representation of k fields costs one map, not 2k. Object
 * values (custom scalars) are told apart by their JSON, in a map of their own so that they
 * never meet a string value.
 */
interface Node {
  /** The first child's key (`EMPTY` until there is one) and the child. */
  key: unknown;
  child: Node | undefined;
  /** Every further child, by its key (compared as a `Map` compares keys). */
  more: Map<unknown, Node> | undefined;
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
   * The index of the representation made of `fields` of `source`, in that order (the same `fields`
   * at every call on one index, and no call of `add` on it); `build(source)`
   * makes it when it is new (and may answer null: no representation). -1 when a field is missing or
   * `build` made none; `build` is asked once per distinct set of values.
   */
  addFields(source: ResultObject, fields: readonly string[], build: (source: ResultObject) => ResultObject | null): number;
}

const NONE = -1;
// A set of values `build` made no representation of: remembered, so that it is not asked again.
const REFUSED = -2;
const EMPTY = Symbol('empty');

const newNode = (): Node => ({ key: EMPTY, child: undefined, more: undefined, byJson: undefined, index: NONE });
// As a `Map` compares keys (SameValueZero): NaN matches NaN.
// biome-ignore lint/suspicious/noSelfCompare: the NaN test
const sameKey = (a: unknown, b: unknown): boolean => a === b || (a !== a && b !== b);

/**
 * De-duplicates the representations of an `_entities` call by value, so that a subgraph
 * resolves each entity once however many places in the response it fills.
 */
export function createRepresentationIndex(): RepresentationIndex {
  const root: Node = newNode();
  // `addFields` keys its own trie by values only: it never meets `add`'s, whose keys include names.
  const byFields: Node = newNode();
  const representations: ResultObject[] = [];

  const step = (node: Node, key: unknown): Node => {
    if (typeof key === 'object' && key !== null) {
      const json = JSON.stringify(key);
      node.byJson ??= new Map();
      let next = node.byJson.get(json);
      if (next === undefined) node.byJson.set(json, (next = newNode()));
      return next;
    }
    if (node.child !== undefined && sameKey(node.key, key)) return node.child;
    if (node.child === undefined) {
      node.key = key;
      return (node.child = newNode());
    }
    node.more ??= new Map();
    let next = node.more.get(key);
    if (next === undefined) node.more.set(key, (next = newNode()));
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
      // One list of fields per index (a fetch's flat `requires`): the values alone tell entities apart.
      let node = byFields;
      for (const name of fields) {
        const value = Object.hasOwn(source, name) ? source[name] : undefined;
        if (value === undefined) return NONE;
        node = step(node, value);
      }
      if (node.index === NONE) {
        const representation = build(source);
        node.index = representation === null ? REFUSED : representations.push(representation) - 1;
      }
      return node.index === REFUSED ? NONE : node.index;
    },
  };
}
