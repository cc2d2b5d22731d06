import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchGateway } from './benchGateways.js';

const require = createRequire(import.meta.url);
const grafbaseBin = join(dirname(require.resolve('@grafbase/cli-x86_64-unknown-linux-musl/package.json')), 'grafbase');
const sdlOf = (subgraph: string) => fileURLToPath(new URL(`../subgraphs/${subgraph}.graphql`, import.meta.url));

/**
 * Grafbase Gateway (Rust), as its npm-packaged CLI serves a graph: `grafbase dev` composes the
 * bench subgraphs' SDL itself from a `grafbase.toml` naming each one's URL and schema file, in
 * its default configuration, which shares identical subgraph requests in flight; `dedup: 'off'`
 * turns that off (`[traffic_shaping] inflight_deduplication = false`). Its state (`.grafbase/`)
 * and HOME go to a scratch directory, so a run neither reads nor leaves anything in the user's home.
 */
export const grafbaseCommand: BenchGateway['command'] = ({ subgraphUrls, port, dedup }) => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-grafbase-'));
  const subgraphs = Object.entries(subgraphUrls).map(
    ([name, url]) => `[subgraphs.${name}]\nurl = ${JSON.stringify(url)}\nschema_path = ${JSON.stringify(sdlOf(name))}\n`,
  );
  const trafficShaping = dedup === 'off' ? ['[traffic_shaping]\ninflight_deduplication = false\n'] : [];
  writeFileSync(join(dir, 'grafbase.toml'), [...trafficShaping, ...subgraphs].join('\n'));
  return {
    executable: grafbaseBin,
    args: ['dev', '--config', join(dir, 'grafbase.toml'), '--listen-address', `127.0.0.1:${port}`],
    cwd: dir,
    env: { HOME: dir },
  };
};
