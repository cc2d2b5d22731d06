import { ErrorCode } from '../errorCodes.js';
import { HttpError } from './HttpError.js';
import { scanJson } from './scanJson.js';

/** `limits.maxJsonDepth` and `limits.maxVariablesBytes`. */
export interface JsonLimits {
  maxJsonDepth: number;
  maxVariablesBytes: number;
}

/**
 * Refuses JSON text nested deeper than `maxJsonDepth` or whose `variables` exceed
 * `maxVariablesBytes`, with a 400 `HttpError` naming the limit, before anything parses it. `text`
 * is a whole request body, or (with `variables: true`) GET's `variables` parameter itself.
 * `subject` names it in the message.
 */
export function checkJsonText(text: Uint8Array, limits: JsonLimits, subject: string, { variables = false } = {}): void {
  const scan = scanJson(text, limits.maxJsonDepth);
  if (scan.depth > limits.maxJsonDepth) {
    throw new HttpError(
      ErrorCode.MAX_JSON_DEPTH_EXCEEDED,
      `${subject} nests arrays and objects more than ${limits.maxJsonDepth} levels deep; the gateway allows at most ${limits.maxJsonDepth} (limits.maxJsonDepth)`,
      {},
      { limit: 'limits.maxJsonDepth', measured: scan.depth, allowed: limits.maxJsonDepth },
    );
  }
  const variablesBytes = variables ? text.length : scan.variablesBytes;
  if (variablesBytes > limits.maxVariablesBytes) {
    throw new HttpError(
      ErrorCode.MAX_VARIABLES_BYTES_EXCEEDED,
      `The operation's variables are ${variablesBytes} bytes; the gateway allows at most ${limits.maxVariablesBytes} (limits.maxVariablesBytes)`,
      {},
      { limit: 'limits.maxVariablesBytes', measured: variablesBytes, allowed: limits.maxVariablesBytes },
    );
  }
}
