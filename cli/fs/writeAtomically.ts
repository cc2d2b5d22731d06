import { renameSync, writeFileSync } from 'node:fs';

/**
 * Replaces a file in one step, so that a process polling it (`portico dev`, the gateway) never
 * reads half of it. The temporary name carries the writer's pid: `portico dev` and
 * `portico subgraph add` may write the same supergraph at the same moment.
 */
export function writeAtomically(file: string, text: string): void {
  const next = `${file}.${process.pid}.next`;
  writeFileSync(next, text);
  renameSync(next, file);
}
