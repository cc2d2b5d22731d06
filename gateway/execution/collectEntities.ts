import type { ResponsePath } from '@apollo/query-planner';

export type ResultObject = Record<string, unknown>;

/**
 * The objects at `path` in `root` (`'@'` steps into every element of a list), in response
 * order, nulls left out: the entities a fetch at that path reads and merges into.
 */
export function collectEntities(root: ResultObject, path: ResponsePath): ResultObject[] {
  const found: ResultObject[] = [];
  const walk = (value: unknown, at: number) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      // A list is stepped into by '@', and by a field name as Apollo Gateway does.
      const next = path[at] === '@' ? at + 1 : at;
      for (const element of value) walk(element, next);
      return;
    }
    if (typeof value !== 'object') return;
    if (at === path.length) {
      found.push(value as ResultObject);
      return;
    }
    const segment = path[at];
    walk(Object.hasOwn(value, segment as string) ? (value as ResultObject)[segment as string] : undefined, at + 1);
  };
  walk(root, 0);
  return found;
}

/** The concrete response paths of what `collectEntities` finds, in the same order. */
export function pathsOfEntities(root: ResultObject, path: ResponsePath): ResponsePath[] {
  const found: ResponsePath[] = [];
  const walk = (value: unknown, at: number, current: ResponsePath) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      const next = path[at] === '@' ? at + 1 : at;
      value.forEach((element, index) => {
        walk(element, next, [...current, index]);
      });
      return;
    }
    if (typeof value !== 'object') return;
    if (at === path.length) {
      found.push(current);
      return;
    }
    const segment = path[at] as string;
    walk(Object.hasOwn(value, segment) ? (value as ResultObject)[segment] : undefined, at + 1, [...current, segment]);
  };
  walk(root, 0, []);
  return found;
}
