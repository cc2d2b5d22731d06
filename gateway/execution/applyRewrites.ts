import type { FetchDataRewrite } from '@apollo/query-planner';
import type { ResultObject } from './collectEntities.js';
import type { TypeMatcher } from './compileRequires.js';
import { setOwnField } from './setOwnField.js';

const FRAGMENT_PREFIX = '... on ';

/**
 * Applies a fetch's input or output rewrites (the planner's way of renaming keys and setting
 * `__typename` for `@interfaceObject` and aliased fields) to one value, in place. A path step
 * `... on T` applies to objects of type T, and to objects whose type is not known.
 */
export function applyRewrites(rewrites: readonly FetchDataRewrite[] | undefined, value: unknown, matches: TypeMatcher): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const last = rewrite.path[rewrite.path.length - 1]!;
    // A renamed key may be the client's alias (`__proto__` among them): set as own fields.
    applyAt(rewrite.path.slice(0, -1), value, matches, (object) => {
      if (rewrite.kind === 'ValueSetter') {
        setOwnField(object, last, rewrite.setValueTo);
      } else if (Object.hasOwn(object, last) && object[last]) {
        setOwnField(object, rewrite.renameKeyTo, object[last]);
        setOwnField(object, last, undefined);
      }
    });
  }
}

function applyAt(path: readonly string[], value: unknown, matches: TypeMatcher, apply: (object: ResultObject) => void): void {
  if (Array.isArray(value)) {
    for (const element of value) applyAt(path, element, matches, apply);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as ResultObject;
  if (path.length === 0) {
    apply(object);
    return;
  }
  const [first, ...rest] = path as [string, ...string[]];
  if (first.startsWith(FRAGMENT_PREFIX)) {
    if (object.__typename === undefined || matches(first.slice(FRAGMENT_PREFIX.length), object.__typename)) applyAt(rest, object, matches, apply);
    return;
  }
  applyAt(rest, Object.hasOwn(object, first) ? object[first] : undefined, matches, apply);
}
