import type { ResultObject } from './collectEntities.js';
import { setOwnField } from './setOwnField.js';

const isObject = (value: unknown): value is ResultObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges `source` into `target` in place, as Apollo Gateway merges fetched data: objects merge
 * key by key, lists of equal length element by element, anything else replaces. `undefined`
 * values are skipped; `__proto__` is set as an own key, never as the prototype.
 */
export function mergeInto(target: ResultObject, source: ResultObject): ResultObject {
  // for…in rather than Object.keys: no array of keys per merged object.
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    if (value === undefined) continue;
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (existing && isObject(existing) && isObject(value)) {
      mergeInto(existing, value);
    } else if (Array.isArray(existing) && Array.isArray(value) && existing.length === value.length) {
      for (let index = 0; index < value.length; index += 1) {
        const element = value[index];
        const current = existing[index];
        if (isObject(current) && isObject(element)) mergeInto(current, element);
        else existing[index] = element;
      }
    } else {
      setOwnField(target, key, value);
    }
  }
  return target;
}
