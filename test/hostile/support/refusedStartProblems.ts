import { expect } from 'vitest';
import { runGatewayProcess } from '../../gateway/fixtures/runGatewayProcess.js';

/**
 * Runs `portico gateway ARGS`, which must refuse to start: it must exit 1 within 15 s (else it
 * is killed and the expectation fails). Gives the lines it printed as problems
 * (`portico gateway: …`), and everything it printed.
 */
export async function refusedStartProblems(args: string[], env: Record<string, string> = {}): Promise<{ problems: string[]; output: string }> {
  const run = runGatewayProcess(args, env);
  const exit = await Promise.race([run.exited, new Promise((done) => setTimeout(() => done('still running after 15 s'), 15_000))]);
  if (exit !== 1) run.child.kill('SIGKILL');
  expect(exit).toBe(1);
  const output = run.output();
  return { problems: output.split('\n').filter((line) => line.startsWith('portico gateway: ')), output };
}
