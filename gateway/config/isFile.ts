import { statSync } from 'node:fs';

/** Whether `file` exists and is a regular file (not a directory). */
export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
