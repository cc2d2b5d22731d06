import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSubgraph } from '../../cli/scaffold/removeSubgraph.js';
import { copyRepository } from './helpers/copyRepository.js';
import { runPortico } from './helpers/runPortico.js';
import { weatherProto } from './helpers/startWeatherService.js';

// `portico subgraph remove` changes the repository, so it runs in a scratch copy of it.
let copy: ReturnType<typeof copyRepository>;

beforeAll(() => {
  copy = copyRepository();
});

afterAll(() => copy?.remove());

const tracked = ['schema/supergraph.yaml', 'codegen.yml', 'docker-compose.yml', 'cli/dev/devServices.ts', 'schema/supergraph.graphql'];
const snapshot = () => tracked.map((file) => readFileSync(join(copy.root, file), 'utf8'));

describe('portico subgraph remove', () => {
  it('refuses a subgraph others depend on, and one that is not there, changing nothing', async () => {
    const before = snapshot();
    const products = await runPortico(copy.root, ['subgraph', 'remove', 'products']);
    expect(products.code).toBe(1);
    expect(products.stderr).toBe(
      'portico: other subgraphs depend on products; change them first:\n  inventory: Product.price and Product.weight are @external (resolved by products)\nNothing was removed.\n',
    );
    // In this process (the command prints what it throws as `portico: <message>`, as above).
    const missing = await removeSubgraph({ root: copy.root, name: 'nope', dryRun: false, write: () => {} }).then(
      () => new Error('it did not refuse'),
      (error: Error) => error,
    );
    expect(`portico: ${missing.message}\n`).toBe(
      'portico: no subgraph named "nope" in schema/supergraph.yaml (it lists accounts, products, inventory, reviews).\n',
    );
    expect(snapshot()).toEqual(before);
  }, 180_000);

  it('undoes subgraph add: a dry run first, then every registry as it was, the files, the proto and its generated types gone', async () => {
    const before = snapshot();
    const added = await runPortico(copy.root, ['subgraph', 'add', 'weather', '--grpc', weatherProto, '--address', 'localhost:1']);
    expect(added.code, added.stderr).toBe(0);
    expect(existsSync(join(copy.root, 'common/grpc/generated/weather.ts'))).toBe(true);

    const dryRun = await runPortico(copy.root, ['subgraph', 'remove', 'weather', '--dry-run']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(
      /^Would remove weather:\n {2}delete schema\/weather\.graphql\n[\s\S]* {2}delete schema\/protos\/weather\.proto\n[\s\S]* {2}edit {3}schema\/supergraph\.yaml \(its entries\)\n[\s\S]*Nothing was changed \(--dry-run\)\.\n$/,
    );
    expect(existsSync(join(copy.root, 'subgraphs/weather/index.ts'))).toBe(true);
    expect(snapshot()).not.toEqual(before);

    const removed = await runPortico(copy.root, ['subgraph', 'remove', 'weather']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(snapshot()).toEqual(before);
    for (const gone of [
      'subgraphs/weather',
      'schema/weather.graphql',
      'schema/protos/weather.proto',
      'common/grpc/generated/weather.ts',
      'common/grpc/generated/acme',
    ]) {
      expect(existsSync(join(copy.root, gone)), gone).toBe(false);
    }
  }, 600_000);
});
