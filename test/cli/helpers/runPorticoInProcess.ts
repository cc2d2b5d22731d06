import { Command, CommanderError } from 'commander';
import { applyCommandConventions } from '../../../cli/applyCommandConventions.js';
import { registerCommands } from '../../../cli/registerCommands.js';
import type { CommandResult } from './runPortico.js';

/**
 * Runs `portico ...args` in this process, in its working directory, the way `cli/main.ts` runs
 * it in a process of its own: the same commands with the same conventions, an error a command
 * throws printed as `portico: <message>` with exit code 1, commander's own refusals with its
 * exit code, and otherwise the `process.exitCode` the command set. Resolves with the exit code
 * and what the command wrote to stdout and stderr.
 *
 * A spawned `portico` spends a second and a half of CPU, more for commands that load
 * composition, loading its dependencies again; here they load once per test worker. Only for
 * commands that write through `process.stdout`/`process.stderr` and end by returning; a file
 * that uses it keeps a case or two through `runPortico`, so `main.ts` and a real exit are
 * tested too. Calls must not overlap (the output is captured by replacing the streams' write).
 */
export async function runPorticoInProcess(args: string[]): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const program = new Command('portico');
  registerCommands(program);
  applyCommandConventions(program);
  const capture = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: (text) => void (stdout += text), writeErr: (text) => void (stderr += text) });
    for (const sub of command.commands) capture(sub);
  };
  capture(program);

  const { write: writeOut } = process.stdout;
  const { write: writeErr } = process.stderr;
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    await program.parseAsync(args, { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode;
    else {
      stderr += `portico: ${error instanceof Error ? error.message : String(error)}\n`;
      code = 1;
    }
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.exitCode = exitCodeBefore;
  }
  return { code, stdout, stderr };
}
