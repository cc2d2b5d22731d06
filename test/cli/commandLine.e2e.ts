import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPortico } from './helpers/runPortico.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the portico command line', () => {
  it('prints its version with --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runPortico('.', [flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it("suggests the nearest option on every subcommand, and points at that subcommand's --help", async () => {
    const cases: Array<[string[], string, string]> = [
      [['dev', '--prot', '4100'], '--port', 'portico dev --help'],
      // An unknown option is named before a missing required one: --sbu is a typo of --sub.
      [['token', '--sbu', '7'], '--sub', 'portico token --help'],
      [['subgraph', 'add', 'things', '--rset', 'http://localhost:1'], '--rest', 'portico subgraph add --help'],
    ];
    for (const [args, nearest, help] of cases) {
      const result = await runPortico('.', args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain(
        `error: unknown option '${args.find((arg) => arg.startsWith('--'))}'\n(Did you mean ${nearest}?)\n(run ${help} for usage)`,
      );
    }
  });

  it('still requires token --sub', async () => {
    const result = await runPortico('.', ['token']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: required option '--sub <subject>' not specified");
    expect(result.stdout).toBe('');
  });

  it('refuses to start as a gateway worker outside a cluster (the mark the primary gives its workers, set by hand)', async () => {
    const result = await runPortico('.', ['gateway', '--port', '0'], { PORTICO_GATEWAY_WORKER: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('portico: PORTICO_GATEWAY_WORKER is set, but this process is not a worker of `portico gateway --workers N`: unset it\n');
  });

  it('names the key to fix, with no stack, when the host to listen on does not resolve', async () => {
    const result = await runPortico('.', ['gateway', '--supergraph', 'schema/supergraph.graphql', '--port', '0', '--host', 'typo.invalid']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('portico gateway: cannot listen on "typo.invalid": no such address or host name here (');
    expect(result.stderr).toContain('check server.host (--host) and metrics.host');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
  }, 60_000);
});
