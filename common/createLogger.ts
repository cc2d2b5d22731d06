import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type prettyFactory from 'pino-pretty';

// pino-pretty is loaded only for readable lines: production, logging JSON, never needs its memory.
const require = createRequire(import.meta.url);

export type { Logger };

export interface LoggerOptions {
  /** The service name put on every line. */
  name: string;
  /** @default process.env.LOG_LEVEL ?? 'info' */
  level?: string;
  /**
   * Human-readable lines instead of JSON.
   * @default true unless NODE_ENV is 'production' or LOG_FORMAT is 'json'
   */
  pretty?: boolean;
}

/** One logger per process: JSON in production, readable lines in development. */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const usePretty = options.pretty ?? (process.env.NODE_ENV !== 'production' && process.env.LOG_FORMAT !== 'json');
  const base = { name: options.name, level };
  if (!usePretty) return pino(base);
  const pretty = require('pino-pretty') as typeof prettyFactory;
  return pino(base, pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }));
}
