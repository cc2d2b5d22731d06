import { readFileSync } from 'node:fs';

/** The bytes of `path`, or none when it does not exist (a build input removed reads as empty). */
export function readOrEmpty(path) {
  try {
    return readFileSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}
