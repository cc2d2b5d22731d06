/** What `scanJson` found in JSON text, without parsing it. */
export interface JsonScan {
  /**
   * Deepest nesting of arrays and objects (the outermost container is 1). The scan stops at the
   * first container past `maxDepth`, so a refused text reports `maxDepth + 1` ("at least").
   */
  depth: number;
  /**
   * Bytes, as sent, of the largest `variables` value of an operation: a member of the top-level
   * object, or of an object directly inside a top-level array (a batch). 0 when there is none.
   */
  variablesBytes: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
// "variables" spelled entirely with \uXXXX escapes, in quotes, is 56 bytes: a longer key cannot be it.
const LONGEST_VARIABLES_KEY = 64;

const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * Measures the nesting depth and the `variables` size of JSON text in one linear pass over its
 * bytes, with no recursion and no allocation per value, so that hostile text (a megabyte of
 * `[[[…`) costs no more than reading it. It is not a validator: text that is not JSON gets some
 * measure and is then refused by `JSON.parse`, which only sees text within the limits. UTF-8 is
 * safe to scan byte by byte: every byte of a multi-byte character is above 0x7F, so none is a
 * quote, a backslash or a bracket.
 */
export function scanJson(text: Uint8Array, maxDepth: number): JsonScan {
  // For each open container: whether it is an object (arrays need nothing more).
  const isObject: boolean[] = [];
  // Inside an object, whether the next string is a member name.
  let awaitingKey = false;
  // The depth of objects that are operations (1, or 2 inside a top-level array), once known.
  let operationDepth = 0;
  // Where the value of an operation's `variables` member starts; -1 while none is being read.
  let variablesStart = -1;
  let pendingVariables = false;
  // The index just past the last byte that was not whitespace, outside strings or at their end.
  let lastEnd = 0;
  let depth = 0;
  let variablesBytes = 0;

  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (isWhitespace(byte)) continue;
    if (pendingVariables && byte !== COLON) {
      variablesStart = i;
      pendingVariables = false;
    }
    if (byte === QUOTE) {
      const start = i;
      // A string: skip to its closing quote, stepping over every escaped byte.
      for (i++; i < text.length && text[i] !== QUOTE; i++) if (text[i] === BACKSLASH) i++;
      if (awaitingKey && isObject.length === operationDepth && variablesStart < 0) {
        pendingVariables = isVariablesKey(text, start, i + 1);
      }
      awaitingKey = false;
      lastEnd = i + 1;
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (isObject.length === maxDepth) return { depth: maxDepth + 1, variablesBytes };
      if (operationDepth === 0) operationDepth = byte === OPEN_OBJECT ? 1 : 2;
      isObject.push(byte === OPEN_OBJECT);
      depth = Math.max(depth, isObject.length);
      awaitingKey = byte === OPEN_OBJECT;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || byte === COMMA) {
      // The end of a member of an operation: if it was `variables`, its value ends here.
      if (variablesStart >= 0 && isObject.length === operationDepth && byte !== CLOSE_ARRAY) {
        variablesBytes = Math.max(variablesBytes, lastEnd - variablesStart);
        variablesStart = -1;
      }
      if (byte === COMMA) awaitingKey = isObject[isObject.length - 1] === true;
      else {
        isObject.pop();
        awaitingKey = false;
      }
    }
    lastEnd = i + 1;
  }
  // Text that ends inside the value (not JSON; JSON.parse refuses it) is still measured.
  if (variablesStart >= 0) variablesBytes = Math.max(variablesBytes, lastEnd - variablesStart);
  return { depth, variablesBytes };
}

/** Whether the string token text[start, end) (quotes included) is the name `variables`, escapes decoded. */
function isVariablesKey(text: Uint8Array, start: number, end: number): boolean {
  if (end - start > LONGEST_VARIABLES_KEY || end > text.length) return false;
  const token = Buffer.from(text.buffer, text.byteOffset + start, end - start).toString('utf8');
  if (token === '"variables"') return true;
  if (!token.includes('\\')) return false;
  try {
    return JSON.parse(token) === 'variables';
  } catch {
    return false;
  }
}
