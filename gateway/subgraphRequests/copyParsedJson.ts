import { setOwnField } from '../execution/setOwnField.js';

/**
 * A copy of a value `JSON.parse` made, with objects and arrays of its own and the strings,
 * numbers, booleans and nulls shared (they cannot change). About a third of what parsing its text
 * again costs (docs/performance.md, step 39). A key named `__proto__` (JSON.parse makes it an own
 * key) is set with `setOwnField`: defined, never assigned, so it never becomes the copy's prototype.
 */
export function copyParsedJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const length = value.length;
    const array = new Array<unknown>(length);
    for (let index = 0; index < length; index += 1) array[index] = copy(value[index]);
    return array;
  }
  const source = value as Record<string, unknown>;
  const object: Record<string, unknown> = {};
  // for…in rather than Object.keys: no array of keys per object. JSON.parse makes only own,
  // enumerable keys; the check keeps anything set on Object.prototype out.
  for (const key in source) {
    if (Object.hasOwn(source, key)) setOwnField(object, key, copy(source[key]));
  }
  return object;
}
