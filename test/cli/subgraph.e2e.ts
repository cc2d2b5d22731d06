import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubgraph, type AddSubgraphOptions } from '../../cli/scaffold/addSubgraph.js';
import { removeSubgraph } from '../../cli/scaffold/removeSubgraph.js';
import { copyRepository } from './helpers/copyRepository.js';
import { registrySnapshot } from './helpers/registrySnapshot.js';
import { runPortico } from './helpers/runPortico.js';

// What `portico subgraph add` and `remove` refuse, and an add that does not compose put back,
// in a scratch copy of the repository (a refusal must change nothing, and a failed add writes
// before it puts back). A subgraph added and removed for real, its files, generated code and
// registries, is dev.e2e.ts's: it adds a REST and a gRPC one while dev runs, and removes them.
let copy: ReturnType<typeof copyRepository>;

beforeAll(() => {
  copy = copyRepository();
});

afterAll(() => copy?.remove());

// The command's flags as `addSubgraph` takes them: `--rest URL` is `{ rest: URL }`.
function addOptions(flags: string[]): Pick<AddSubgraphOptions, 'rest' | 'grpc' | 'service' | 'address'> {
  const options: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) options[flags[i]!.replace(/^--/, '')] = flags[i + 1]!;
  return options;
}

const snapshot = () => registrySnapshot(copy.root);

describe('portico subgraph add', () => {
  it('refuses, with one line and exit code 1, and changes nothing', async () => {
    const unchanged = snapshot();
    const refusals: Array<[string[], RegExp]> = [
      [['accounts', '--rest', 'http://localhost:1'], /^portico: a subgraph or service named "accounts" already exists; choose another name\.$/],
      [['Bad_Name', '--rest', 'http://localhost:1'], /^portico: "Bad_Name" is not a valid subgraph name: /],
      [['kit', '--rest', 'http://localhost:1'], /^portico: "kit" is reserved/],
      [['things', '--rest', 'ftp://example.com'], /^portico: --rest must be an http\(s\) base URL/],
      [['things'], /^portico: give exactly one of --rest BASE_URL and --grpc PROTO_FILE\.$/],
      [
        ['things', '--grpc', 'test/cli/fixtures/broken.proto', '--address', 'localhost:1'],
        /^portico: test\/cli\/fixtures\/broken\.proto does not parse: line 3: unexpected ";", where a field number should be\.$/,
      ],
      // No default address: a forgotten flag must not point the subgraph at another service.
      [['things', '--grpc', 'test/cli/fixtures/weather.proto'], /^portico: --grpc needs --address HOST:PORT, where your gRPC service listens/],
      [['things', '--grpc', 'test/cli/fixtures/weather.proto', '--address', 'localhost'], /^portico: --address must be HOST:PORT/],
      [['things', '--rest', 'http://localhost:1', '--address', 'localhost:1'], /^portico: --address is for --grpc/],
      [['things', '--grpc', 'test/cli/fixtures/missing.proto', '--address', 'localhost:1'], /^portico: test\/cli\/fixtures\/missing\.proto does not exist\.$/],
      [
        ['things', '--grpc', 'test/cli/fixtures/twoServices.proto', '--address', 'localhost:1'],
        /^portico: .* defines several services \(First, Second\); choose one with --service\.$/,
      ],
      [
        ['things', '--grpc', 'test/cli/fixtures/twoServices.proto', '--service', 'Third', '--address', 'localhost:1'],
        /^portico: .* has no service "Third" \(it defines First, Second\)\.$/,
      ],
    ];
    // The command runs `addSubgraph` and prints what it throws as `portico: <message>`: each
    // refusal is checked in process (a spawn costs a second and a half of CPU), and the one that
    // uses the most flags through the command, for its parsing, the exit code and the printing.
    for (const [args, message] of refusals) {
      const [name, ...flags] = args;
      const refusal = await addSubgraph({ root: copy.root, name: name!, ...addOptions(flags), write: () => {} }).then(
        () => new Error('it did not refuse'),
        (error: Error) => error,
      );
      expect(`portico: ${refusal.message}`.split('\n'), args.join(' ')).toHaveLength(1);
      expect(`portico: ${refusal.message}`).toMatch(message);
    }
    const [args, message] = refusals.at(-1)!;
    const result = await runPortico(copy.root, ['subgraph', 'add', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(snapshot()).toEqual(unchanged);
  }, 240_000);

  it('puts every file back when the new subgraph does not compose', async () => {
    const unchanged = snapshot();
    // The starter entity of `users` is a User whose name clashes with the accounts subgraph's.
    const result = await runPortico(copy.root, ['subgraph', 'add', 'users', '--rest', 'http://localhost:1/users']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error\[INVALID_FIELD_SHARING\][\s\S]*Nothing was added: every file is as it was\.\n$/);
    expect(snapshot()).toEqual(unchanged);
    expect(existsSync(join(copy.root, 'subgraphs/users'))).toBe(false);
    expect(existsSync(join(copy.root, 'schema/users.graphql'))).toBe(false);
  });
});

describe('portico subgraph remove', () => {
  it('refuses a subgraph others depend on, and one that is not there, changing nothing', async () => {
    const unchanged = snapshot();
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
    expect(snapshot()).toEqual(unchanged);
  }, 180_000);
});
