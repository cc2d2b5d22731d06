import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { runGatewayProcess } from '../fixtures/runGatewayProcess.js';

const preload = fileURLToPath(new URL('./fixtures/recordFlagsAndBundle.mjs', import.meta.url));

/** One start of the built gateway: what it recorded from its start to its stop, once it has served a query. */
async function start(dir: string, run: number): Promise<string[]> {
  const record = join(dir, `record-${run}.txt`);
  writeFileSync(record, '');
  const gateway = runGatewayProcess(['--config', join(dir, 'gateway.yaml'), '--port', '0', '--host', '127.0.0.1'], {
    NODE_OPTIONS: `--import ${preload}`,
    NODE_COMPILE_CACHE: join(dir, 'compile-cache'),
    RECORD_FILE: record,
  });
  try {
    const port = await gateway.port;
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status).toBe(200);
    // `serving` runs after the answer has gone: wait for the config's own limit.
    const deadline = Date.now() + 10_000;
    while (!readFileSync(record, 'utf8').includes('flag --heap-growing-percent=20') && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 50));
    }
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  return readFileSync(record, 'utf8').trim().split('\n');
}

describe("the built gateway's heap growth limit", () => {
  it('holds from before the bundle loads, so the start is bounded too and the code cache is written and taken under it; the config takes over once it serves', {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-heap-growth-'));
    writeFileSync(join(dir, 'gateway.yaml'), `supergraph:\n  path: ${resolve('schema/supergraph.graphql')}\nserver:\n  heapGrowthPercent: 20\n`);
    // The first start compiles the bundle and writes its cache once it serves; the second takes it.
    expect(await start(dir, 1)).toEqual(['flag --heap-growing-percent=50', 'bundle compiled', 'flag --heap-growing-percent=20']);
    expect(await start(dir, 2)).toEqual(['flag --heap-growing-percent=50', 'bundle cache taken', 'flag --heap-growing-percent=20']);
  });
});
