import { statSync } from 'node:fs';

/** Whether a path names a regular file (a config check, so errors mean "no"). */
export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
