import type { ResultObject } from './collectEntities.js';

/**
 * Sets a field of a response object as an own field: a field named `__proto__` is defined, not
 * assigned, so that it never becomes the object's prototype.
 */
export function setOwnField(target: ResultObject, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
