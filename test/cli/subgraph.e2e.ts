import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubgraph, type AddSubgraphOptions } from '../../cli/scaffold/addSubgraph.js';
import { startDev, type StartedDev } from '../support/startDev.js';
import { copyRepository } from './helpers/copyRepository.js';
import { runPortico } from './helpers/runPortico.js';
import { startWeatherService, weatherProto } from './helpers/startWeatherService.js';
import { startWidgetsService } from './helpers/startWidgetsService.js';
import { typeCheckChanged } from './helpers/typeCheckChanged.js';

// `portico subgraph add` changes the repository, so it runs in a scratch copy of it, against
// a real REST service and a real gRPC service started here.
let copy: ReturnType<typeof copyRepository>;
let widgets: Awaited<ReturnType<typeof startWidgetsService>>;
let weather: Awaited<ReturnType<typeof startWeatherService>>;
let stack: StartedDev | undefined;

beforeAll(async () => {
  copy = copyRepository();
  [widgets, weather] = await Promise.all([startWidgetsService(), startWeatherService()]);
});

afterAll(async () => {
  if (stack && stack.dev.exitCode === null) {
    stack.dev.kill('SIGINT');
    const timer = setTimeout(() => stack?.dev.kill('SIGKILL'), 20_000);
    await stack.exited;
    clearTimeout(timer);
  }
  await Promise.all([widgets?.stop(), weather?.stop()]);
  copy?.remove();
}, 60_000);

// The command's flags as `addSubgraph` takes them: `--rest URL` is `{ rest: URL }`.
function addOptions(flags: string[]): Pick<AddSubgraphOptions, 'rest' | 'grpc' | 'service' | 'address'> {
  const options: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) options[flags[i]!.replace(/^--/, '')] = flags[i + 1]!;
  return options;
}

const registries = ['schema/supergraph.yaml', 'codegen.yml', 'docker-compose.yml', 'cli/dev/devServices.ts', 'schema/supergraph.graphql'];
const snapshot = () => registries.map((file) => readFileSync(join(copy.root, file), 'utf8'));

describe('portico subgraph add', () => {
  it('refuses, with one line and exit code 1, and changes nothing', async () => {
    const before = snapshot();
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
    expect(snapshot()).toEqual(before);
  }, 240_000);

  it('puts every file back when the new subgraph does not compose', async () => {
    const before = snapshot();
    // The starter entity of `users` is a User whose name clashes with the accounts subgraph's.
    const result = await runPortico(copy.root, ['subgraph', 'add', 'users', '--rest', 'http://localhost:1/users']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error\[INVALID_FIELD_SHARING\][\s\S]*Nothing was added: every file is as it was\.\n$/);
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(copy.root, 'subgraphs/users'))).toBe(false);
    expect(existsSync(join(copy.root, 'schema/users.graphql'))).toBe(false);
  });

  it('scaffolds a REST and a gRPC subgraph that compose, start under portico dev and answer through the gateway, batched', async () => {
    const rest = await runPortico(copy.root, ['subgraph', 'add', 'widgets', '--rest', 'http://localhost:1/widgets']);
    expect(rest.stderr).toBe('');
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('WIDGETS_SERVICE_URL=http://localhost:1/widgets npm start');
    const grpc = await runPortico(copy.root, ['subgraph', 'add', 'weather', '--grpc', weatherProto, '--address', 'localhost:1']);
    expect(grpc.code, grpc.stderr).toBe(0);
    expect(grpc.stdout).toContain('Not exposed (not reads; add mutations by hand if you want them): ReportReading.');

    // Next free ports, and the generated code and supergraph are what the checks expect.
    expect(readFileSync(join(copy.root, 'schema/supergraph.yaml'), 'utf8')).toMatch(
      /widgets:\n {4}routing_url: http:\/\/localhost:4005\/graphql[\s\S]*weather:\n {4}routing_url: http:\/\/localhost:4006\/graphql/,
    );
    expect(readFileSync(join(copy.root, 'codegen.yml'), 'utf8')).toContain('# Typed resolvers for every subgraph');
    expect((await runPortico(copy.root, ['codegen', '--check'])).code).toBe(0);
    expect((await runPortico(copy.root, ['compose', '--check'])).code).toBe(0);
    expect(readFileSync(join(copy.root, 'schema/weather.graphql'), 'utf8')).toContain('type Forecast @key(fields: "cityId")');
    // The generated subgraphs, and the files that import what the command edited, type-check, strict, as written.
    expect(typeCheckChanged(copy.root, process.cwd())).toEqual(
      expect.arrayContaining(['cli/dev/devServices.ts', 'cli/dev/runDev.ts', 'subgraphs/weather/index.ts', 'subgraphs/widgets/index.ts']),
    );

    stack = await startDev({ cwd: copy.root, env: { WIDGETS_SERVICE_URL: widgets.baseUrl, WEATHER_SERVICE_ADDRESS: weather.address } });
    expect(stack.lines.some((line) => line.startsWith('dev | widgets '))).toBe(true);
    expect(stack.lines.some((line) => line.startsWith('dev | weather '))).toBe(true);

    const query = `{
      paris: forecast(cityId: "paris") { cityId sky highCelsius issuedAt warnings }
      oslo: forecast(cityId: "oslo") { sky warnings }
      nowhere: forecast(cityId: "nowhere") { cityId }
      stations(region: "north", first: 2) { stations { id name } }
      one: widget(id: "1") { id name }
      two: widget(id: "2") { name }
      again: widget(id: "1") { name }
      missing: widget(id: "404") { id }
    }`;
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data: Record<string, unknown>; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      paris: { cityId: 'paris', sky: 'SUNNY', highCelsius: 21.5, issuedAt: '1700000000000', warnings: [] },
      oslo: { sky: 'RAIN', warnings: ['wind'] },
      nowhere: null,
      stations: {
        stations: [
          { id: 'north-1', name: 'Station 1' },
          { id: 'north-2', name: 'Station 2' },
        ],
      },
      one: { id: '1', name: 'Sprocket' },
      two: { name: 'Flange' },
      again: { name: 'Sprocket' },
      missing: null,
    });
    // Three forecasts, one GetForecasts call; each widget id fetched once however often asked.
    expect(weather.calls.filter((call) => call.method === 'GetForecasts')).toEqual([
      { method: 'GetForecasts', request: { cityIds: ['paris', 'oslo', 'nowhere'] } },
    ]);
    expect([...widgets.calls].sort()).toEqual(['GET /widgets/1', 'GET /widgets/2', 'GET /widgets/404']);

    stack.dev.kill('SIGINT');
    expect(await stack.exited).toBe(0);
  }, 300_000);
});
