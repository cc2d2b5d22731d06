import { GraphQLError, isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import { setOwnField } from '../execution/setOwnField.js';
import type { Removal, Step } from './filterOperation.js';

type Data = Record<string, unknown>;

/**
 * Puts the removed fields back into the response as `null`, as the client asked for them,
 * with nulls bubbling up past non-null fields as the GraphQL spec requires; strips Portico's
 * placeholder keys; and returns one error per removal.
 *
 * The keys of a removal's path are the client's aliases (`__proto__`, `constructor`, …): only
 * own properties of the response's objects and arrays are ever followed, and a null is written
 * as an own property, so that no key can reach or change a prototype.
 */
export function patchResult(
  data: Data | null | undefined,
  removals: readonly Removal[],
  placeholderKey: string,
): { data: Data | null | undefined; errors: GraphQLError[] } {
  let patched = data;
  if (patched) {
    for (const removal of removals) {
      if (removal.steps && nullInObject(patched, removal.steps, 0, placeholderKey)) {
        patched = null;
        break;
      }
    }
    if (patched) stripPlaceholders(patched, placeholderKey);
  }
  return { data: patched, errors: removals.map(errorOf) };
}

export function errorOf(removal: Removal): GraphQLError {
  const message =
    removal.code === 'UNAUTHENTICATED'
      ? `Unauthenticated: ${removal.what} needs a signed-in caller. Send a token in the Authorization header.`
      : `Forbidden: the caller may not ${removal.action} ${removal.what}.`;
  return new GraphQLError(message, { path: removal.errorPath, extensions: { code: removal.code } });
}

// Nulls the field of `steps` below `object`; true when `object` itself must then become null.
function nullInObject(object: Data, steps: readonly Step[], index: number, placeholderKey: string): boolean {
  const step = steps[index]!;
  if (step.onlyFor && !step.onlyFor.has(String(ownValue(object, placeholderKey)))) return false;
  if (index === steps.length - 1) return setNull(object, step.key, step.type);
  return nullBelow(object, step.key, step.type, steps, index + 1, placeholderKey);
}

// Follows `holder[key]` through lists to the objects at the next step.
function nullBelow(
  holder: Data | unknown[],
  key: string | number,
  type: GraphQLOutputType,
  steps: readonly Step[],
  index: number,
  placeholderKey: string,
): boolean {
  const value = ownValue(holder, key);
  // Not there (skipped, or nulled by a failure) or not the shape the type says: nothing to null below.
  if (typeof value !== 'object' || value === null) return false;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return false;
    for (let item = 0; item < value.length; item += 1) {
      if (nullBelow(value, item, inner.ofType as GraphQLOutputType, steps, index, placeholderKey)) return setNull(holder, key, type);
    }
    return false;
  }
  if (Array.isArray(value)) return false;
  return nullInObject(value as Data, steps, index, placeholderKey) ? setNull(holder, key, type) : false;
}

// A response value's own property: never one inherited from Object.prototype or Array.prototype.
function ownValue(holder: Data | unknown[], key: string | number): unknown {
  return Object.hasOwn(holder, key) ? (holder as Record<string | number, unknown>)[key] : undefined;
}

// Sets a null as an own property; true when the position is non-null, so the null must bubble to its parent.
function setNull(holder: Data | unknown[], key: string | number, type: GraphQLOutputType): boolean {
  if (Array.isArray(holder)) holder[key as number] = null;
  else setOwnField(holder, String(key), null);
  return isNonNullType(type);
}

function stripPlaceholders(value: unknown, placeholderKey: string): void {
  if (Array.isArray(value)) {
    for (const item of value) stripPlaceholders(item, placeholderKey);
  } else if (typeof value === 'object' && value !== null) {
    delete (value as Data)[placeholderKey];
    for (const inner of Object.values(value)) stripPlaceholders(inner, placeholderKey);
  }
}
