import { readFileSync } from 'node:fs';

/** A file's text, or '' when it does not exist yet. */
export function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
