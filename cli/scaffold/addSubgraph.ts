import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';
import { writeAtomically } from '../fs/writeAtomically.js';
import { nextSubgraphPort } from './nextSubgraphPort.js';
import { planGrpcSchema } from './planGrpcSchema.js';
import { readProtoService } from './readProtoService.js';
import { readRegistries, registerSubgraph, registryFiles, type Registries } from './registerSubgraph.js';
import { apiModule, type ScaffoldSpec } from './ScaffoldSpec.js';
import { singular, subgraphNames } from './subgraphNames.js';
import { renderSubgraphFiles } from './renderSubgraphFiles.js';
import { nextSteps } from './nextSteps.js';
import { readRunningDev } from '../dev/runningDev.js';
import { runCodegen } from './runCodegen.js';

export interface AddSubgraphOptions {
  /** The repository root. */
  root: string;
  name: string;
  /** The REST service's base URL. */
  rest?: string;
  /** The gRPC service's proto file, relative to the working directory. */
  grpc?: string;
  /** The service in the proto, when it defines several. */
  service?: string;
  /** The gRPC service's default address, `host:port`: required with `grpc`. */
  address?: string;
  write(line: string): void;
}

/**
 * Writes a new subgraph and registers it everywhere, then composes and generates its types.
 * Refuses (throws a one-line message, writing nothing) for a bad name, a name in use, a bad
 * URL or proto; when composition or codegen fails, puts every file back as it was.
 */
export async function addSubgraph(options: AddSubgraphOptions): Promise<void> {
  const { root } = options;
  const names = subgraphNames(options.name);
  if ((options.rest === undefined) === (options.grpc === undefined)) throw new Error('give exactly one of --rest BASE_URL and --grpc PROTO_FILE.');
  // No default address: one that happened to be another service's (the demo catalog's) would
  // point the new subgraph at the wrong service without a word.
  if (options.grpc !== undefined && options.address === undefined)
    throw new Error('--grpc needs --address HOST:PORT, where your gRPC service listens (e.g. --address localhost:50070).');
  if (options.rest !== undefined && options.address !== undefined) throw new Error("--address is for --grpc; a REST service's address is its --rest URL.");
  if (options.address !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(options.address)) {
    throw new Error(`--address must be HOST:PORT, e.g. localhost:50070 (got "${options.address}").`);
  }
  const registries = readRegistries(root);
  refuseTaken(root, names.name, registries);
  const port = nextSubgraphPort(registries);

  let spec: ScaffoldSpec;
  let proto: { target: string; text: string } | undefined;
  if (options.rest !== undefined) {
    if (!/^https?:\/\/[^/]/.test(options.rest) || !URL.canParse(options.rest))
      throw new Error(`--rest must be an http(s) base URL such as http://localhost:8080 (got "${options.rest}").`);
    spec = { kind: 'rest', names, port, baseUrl: options.rest.replace(/\/$/, ''), entity: singular(names.pascal) };
  } else {
    const source = resolve(options.grpc!);
    if (!existsSync(source)) throw new Error(`${options.grpc} does not exist.`);
    const service = readProtoService(options.grpc!, options.service);
    const target = join(root, 'schema/protos', service.file);
    const text = readFileSync(source, 'utf8');
    if (existsSync(target) && readFileSync(target, 'utf8') !== text)
      throw new Error(`schema/protos/${service.file} exists and differs from ${options.grpc}; rename your proto file.`);
    proto = { target, text };
    spec = { kind: 'grpc', names, port, address: options.address!, plan: planGrpcSchema(service) };
  }

  const files = new Map<string, string>(renderSubgraphFiles(spec).map(({ path, text }) => [join(root, path), text]));
  if (proto) files.set(proto.target, proto.text);
  const registered = registerSubgraph(registries, spec);
  for (const key of Object.keys(registryFiles) as Array<keyof Registries>) files.set(join(root, registryFiles[key]), registered[key]);

  const originals = new Map([...files.keys()].map((file) => [file, existsSync(file) ? readFileSync(file, 'utf8') : undefined]));
  const supergraph = join(root, 'schema/supergraph.graphql');
  originals.set(supergraph, readFileSync(supergraph, 'utf8'));
  try {
    for (const [file, text] of files) {
      mkdirSync(dirname(file), { recursive: true });
      writeAtomically(file, text);
    }
    options.write(
      `Wrote ${names.name}: schema/${names.name}.graphql, subgraphs/${names.name}/ (server, index, context, resolvers, ${apiModule(spec)}), and its entries in ${Object.values(registryFiles).join(', ')}.`,
    );
    // Loaded once the arguments are accepted: a refusal need not pay for loading composition.
    const { composeSupergraphFile } = await import('../compose/composeSupergraphFile.js');
    const composed = composeSupergraphFile(readSupergraphConfig(join(root, registryFiles.supergraphYaml)));
    writeAtomically(supergraph, composed.text);
    options.write('Composed schema/supergraph.graphql.');
    runCodegen(root);
    options.write('Generated typed resolvers' + (proto ? ' and gRPC types.' : '.'));
  } catch (error) {
    rollBack(root, names.name, originals, proto !== undefined);
    throw new Error(`${(error as Error).message}\nNothing was added: every file is as it was.`);
  }
  for (const line of nextSteps(spec, readRunningDev(root))) options.write(line);
}

function refuseTaken(root: string, name: string, registries: Registries): void {
  const listed = (parseYaml(registries.supergraphYaml) as { subgraphs?: Record<string, unknown> }).subgraphs ?? {};
  const services = (parseYaml(registries.dockerComposeYml, { merge: true }) as { services?: Record<string, unknown> }).services ?? {};
  const taken = name in listed || name in services || existsSync(join(root, 'subgraphs', name)) || existsSync(join(root, 'schema', `${name}.graphql`));
  if (taken) throw new Error(`a subgraph or service named "${name}" already exists; choose another name.`);
  readSupergraphConfig(join(root, registryFiles.supergraphYaml));
}

// Restores every file it touched; generated proto types of a removed proto go with a fresh codegen run.
function rollBack(root: string, name: string, originals: Map<string, string | undefined>, hadProto: boolean): void {
  // Registries before the subgraph's own files, so a running `portico dev` never sees one listed without its SDL.
  for (const [file, text] of [...originals].reverse()) {
    if (text === undefined) rmSync(file, { force: true });
    else writeAtomically(file, text);
  }
  rmSync(join(root, 'subgraphs', name), { recursive: true, force: true });
  if (hadProto) {
    try {
      runCodegen(root);
    } catch {
      // The original error is what the person needs; codegen can be rerun by hand.
    }
  }
}
