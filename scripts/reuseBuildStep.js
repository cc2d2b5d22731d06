// The two costly steps of a build, the gateway bundle and the config validator, taken from the
// last build when nothing they read has changed, though other sources have: a subgraph edited or
// added (`portico subgraph add`, then `portico dev` restarting it) rebuilt the whole gateway bundle
// (4-10 s on two cores) for code the gateway does not contain. Plain JavaScript, as buildDist.js.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { readOrEmpty } from './readOrEmpty.js';

/**
 * A step's key: a digest of `fixed` (strings or bytes: versions, options, a digest of other
 * inputs) and of each file of `files` (path and content; relative ones under `root`; an absent
 * file counts as empty, so one removed changes the key).
 * @param {string} root
 * @param {Array<string | Uint8Array>} fixed
 * @param {string[]} files
 */
export function stepKey(root, fixed, files) {
  const hash = createHash('sha256');
  const add = (contents) => hash.update(`${contents.length}\0`).update(contents);
  for (const part of fixed) add(part);
  for (const file of files) {
    add(file);
    add(readOrEmpty(resolve(root, file)));
  }
  return hash.digest('hex');
}

/**
 * The outputs the last build recorded for step `name` (`record.steps[name]`: its key, the files
 * it read and the files it wrote, relative to `root`), read back from dist/, when `keyOf(inputs)`
 * of its recorded inputs is its recorded key and each output is as that build wrote it (the
 * record's digest of it, `digestOf`). Undefined otherwise: the caller runs the step.
 * @param {string} root
 * @param {any} record the last build's record, or undefined
 * @param {string} name
 * @param {(inputs: string[]) => string} keyOf
 * @param {(file: string) => string} digestOf
 * @returns {Map<string, Buffer> | undefined}
 */
export function reuseBuildStep(root, record, name, keyOf, digestOf) {
  const step = record?.steps?.[name];
  if (!step || !Array.isArray(step.inputs) || !Array.isArray(step.outputs) || step.outputs.length === 0) return undefined;
  if (keyOf(step.inputs) !== step.key) return undefined;
  const outputs = new Map();
  for (const file of step.outputs) {
    if (typeof record.outputs?.[file] !== 'string' || digestOf(file) !== record.outputs[file]) return undefined;
    outputs.set(file, readFileSync(join(root, file)));
  }
  return outputs;
}

/**
 * The compiled modules `start` loads, itself included, following relative `import` and
 * `export ... from` specifiers through `compiled` (path relative to the root, as esbuild wrote
 * it, to its text): what running `start` reads of this build. esbuild writes every specifier as
 * a double-quoted string.
 * @param {Map<string, Uint8Array>} compiled
 * @param {string} start
 * @returns {string[]} sorted
 */
export function compiledClosure(compiled, start) {
  const seen = new Set();
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file) || !compiled.has(file)) continue;
    seen.add(file);
    const text = Buffer.from(compiled.get(file)).toString('utf8');
    for (const match of text.matchAll(/(?:\bfrom|\bimport\(?)\s*"(\.{1,2}\/[^"]+)"/g)) {
      pending.push(posix.normalize(posix.join(posix.dirname(file), match[1])));
    }
  }
  return [...seen].sort();
}
