import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readSupergraph } from '../../../gateway/supergraph/readSupergraph.js';
import { MAX_SUPERGRAPH_BYTES } from '../../../gateway/supergraph/supergraphTooLarge.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portico-read-supergraph-'));

describe('readSupergraph', () => {
  it('reads a regular file', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    writeFileSync(file, 'schema { query: Query }');
    await expect(readSupergraph(file, 5000)).resolves.toBe('schema { query: Query }');
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = path.join(dir, 'fifo.graphql');
    execFileSync('mkfifo', [fifo]);
    // A reader that waited for a writer would fail at its deadline, saying so instead.
    await expect(readSupergraph(fifo, 5000)).rejects.toThrow(`Cannot read the supergraph ${fifo}: it is a FIFO, not a regular file`);
  });

  it('refuses a directory', async () => {
    await expect(readSupergraph(dir, 5000)).rejects.toThrow(`Cannot read the supergraph ${dir}: it is a directory, not a regular file`);
  });

  it('refuses a file over the size limit unread', async () => {
    const file = path.join(dir, 'huge.graphql');
    writeFileSync(file, '');
    // Sparse: its size is all the check looks at.
    truncateSync(file, MAX_SUPERGRAPH_BYTES + 1);
    await expect(readSupergraph(file, 5000)).rejects.toThrow(`it is ${MAX_SUPERGRAPH_BYTES + 1} bytes, over the ${MAX_SUPERGRAPH_BYTES} bytes`);
  });

  it('gives up on a read that does not finish within its deadline', async () => {
    // A file on a hung network mount: the open never returns.
    vi.resetModules();
    vi.doMock('node:fs/promises', async (original) => ({ ...(await original<typeof import('node:fs/promises')>()), open: () => new Promise(() => {}) }));
    try {
      const { readSupergraph: readHung } = await import('../../../gateway/supergraph/readSupergraph.js');
      await expect(readHung('/mnt/hung/supergraph.graphql', 100)).rejects.toThrow(
        'Cannot read the supergraph /mnt/hung/supergraph.graphql: not read within 100 ms',
      );
    } finally {
      vi.doUnmock('node:fs/promises');
    }
  });
});
