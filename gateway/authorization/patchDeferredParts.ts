import type { DeferredPart } from '../streaming/ResultStream.js';
import type { FilteredOperation, Removal } from './filterOperation.js';
import { patchResult } from './patchResult.js';

type Incremental = NonNullable<DeferredPart['incremental']>[number];
type Data = Record<string, unknown>;

/**
 * Authorization's change to a deferred operation's parts, as `patchResult` makes it to a whole
 * answer: each removal inside a deferred fragment (`Removal.deferredAt`) gets its null in the
 * part that delivers that fragment (the one with the label Portico gave it, at each of its
 * places) and its error once in the whole stream, however many places or parts; each part gets
 * back the client's label, or none, as sent; Portico's placeholder keys are stripped from every
 * part. `return()` reaches the parts' own.
 */
export function patchDeferredParts(
  parts: AsyncIterableIterator<DeferredPart>,
  { removals, clientLabels, placeholderKey }: Pick<FilteredOperation, 'removals' | 'clientLabels' | 'placeholderKey'>,
): AsyncIterableIterator<DeferredPart> {
  const deferred = removals.filter((removal) => removal.deferredAt !== undefined);
  const reported = new Set<Removal>();
  const patch = (part: DeferredPart): DeferredPart => {
    if (!part.incremental) return part;
    return { ...part, incremental: part.incremental.map((item) => withClientLabel(patchItem(item, deferred, placeholderKey, reported), clientLabels)) };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const result = await parts.next();
      return result.done ? result : { value: patch(result.value), done: false };
    },
    async return() {
      return (await parts.return?.()) ?? { value: undefined, done: true };
    },
  };
}

function patchItem(item: Incremental, removals: readonly Removal[], placeholderKey: string, reported: Set<Removal>): Incremental {
  const keys = item.path.filter((step): step is string => typeof step === 'string');
  const mine = removals.filter((removal) => {
    const at = removal.deferredAt!;
    if (at.label !== item.label || at.depth !== keys.length) return false;
    // One label stands for a client's label wherever it is written: only this place's fragment counts.
    const removalKeys = removal.errorPath.filter((key) => key !== '@');
    return keys.every((key, index) => removalKeys[index] === key);
  });
  let data = item.data;
  if (data) {
    // The part as the whole answer would hold it: its removals' steps start at the root.
    const root: Data = {};
    let holder: Data | unknown[] = root;
    item.path.forEach((step, index) => {
      const last = index === item.path.length - 1;
      const next: Data | unknown[] = last ? (data as Data) : typeof item.path[index + 1] === 'number' ? [] : {};
      if (Array.isArray(holder)) holder[step as number] = next;
      else Object.defineProperty(holder, String(step), { value: next, enumerable: true, writable: true, configurable: true });
      holder = next;
    });
    const patched = item.path.length === 0 ? patchResult(data, mine, placeholderKey).data : patchResult(root, mine, placeholderKey).data;
    data = item.path.length === 0 ? (patched ?? null) : patched ? (valueAt(patched, item.path) ?? null) : null;
  }
  const fresh = mine.filter((removal) => !reported.has(removal));
  for (const removal of fresh) reported.add(removal);
  const errors = patchResult(null, fresh, placeholderKey).errors;
  if (errors.length === 0 && data === item.data) return item;
  return { ...item, data, ...(errors.length > 0 || item.errors ? { errors: [...errors, ...(item.errors ?? [])] } : {}) };
}

// The label the client wrote in place of Portico's, or none when it wrote none (`createDeferLabels`).
function withClientLabel(item: Incremental, clientLabels: ReadonlyMap<string, string>): Incremental {
  if (item.label === undefined) return item;
  const { label, ...unlabelled } = item;
  const client = clientLabels.get(label);
  return client === undefined ? unlabelled : { ...item, label: client };
}

function valueAt(root: Data, path: readonly (string | number)[]): Data | null | undefined {
  let value: unknown = root;
  for (const step of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value as Data | null;
}
