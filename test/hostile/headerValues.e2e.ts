import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { refusedStartProblems } from './support/refusedStartProblems.js';

// A header rule's value from the environment, where a deploy's templating or a pasted secret can
// leave a CR or LF (or smuggle a second header). Accepted, it failed every subgraph call with
// `invalid x-hostile header`; it must stop the start instead, naming the key and not the secret.
describe('a header value with CR or LF from the environment', () => {
  it('stops the start with one line naming the key, never the value', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'portico-hostile-headers-')), 'gateway.yaml');
    writeFileSync(
      file,
      stringify({ supergraph: { path: resolve('schema/supergraph.graphql') }, headers: { all: [{ set: 'x-hostile', value: '${env.HOSTILE}' }] } }),
    );
    const { problems, output } = await refusedStartProblems(['--config', file, '--port', '0', '--host', '127.0.0.1'], {
      HOSTILE: 'Bearer hunter2secret\r\nx-injected: 1',
    });
    expect(problems).toEqual([
      'portico gateway: Invalid gateway configuration: headers.all[0].value: must be an HTTP header value (no CR, LF or other control characters) (got 35 characters, not shown)',
    ]);
    expect(output).not.toContain('hunter2secret');
  });
});
