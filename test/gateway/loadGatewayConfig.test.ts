import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../gateway/config/ConfigError.js';
import { gatewayConfigSchema } from '../../gateway/config/GatewayConfig.js';
import { loadGatewayConfig, type LoadGatewayConfigOptions } from '../../gateway/config/loadGatewayConfig.js';

const workersAccepted = 'a whole number of at least 1, or "auto" (one per available CPU)';

// Every top-level key, as the error messages list them.
const topLevelKeys = Object.keys(gatewayConfigSchema.properties).join(', ');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'portico-config-'));
  mkdirSync(path.join(dir, 'schema'));
  writeFileSync(path.join(dir, 'schema', 'supergraph.graphql'), 'type Query { a: Int }');
  writeFileSync(path.join(dir, 'cert.pem'), 'not really a certificate');
  writeFileSync(path.join(dir, 'key.pem'), 'not really a key');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Production needs a signing secret; tests that are not about it get one from the environment.
const signing = { PORTICO_SIGNING_SECRET: 'test-signing-secret-0123456789' };

/** Loads `content` written to a file in the temp dir; the default env holds only a signing secret. */
function load(content: string, extension = 'yaml', options: Omit<LoadGatewayConfigOptions, 'file'> = {}) {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.${extension}`);
  writeFileSync(file, content);
  return loadGatewayConfig({ cwd: dir, ...options, env: { ...signing, ...options.env }, file });
}

/** The problems of the ConfigError `run` throws. */
function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadGatewayConfig', () => {
  it('fills in every default when there is no file', () => {
    expect(loadGatewayConfig({ cwd: dir, env: {} })).toEqual({
      mode: 'development',
      introspection: true,
      landingPage: true,
      explorer: true,
      includeStacktraceInErrors: false,
      supergraph: { path: path.join(dir, 'schema', 'supergraph.graphql'), watch: true, pollIntervalMs: 1000 },
      server: {
        host: '0.0.0.0',
        port: 4000,
        listenBacklog: 4096,
        graphqlPath: '/graphql',
        bodyLimitBytes: 1_048_576,
        bodyTimeoutMs: 10_000,
        maxBodyBytesInFlight: 67_108_864,
        headersTimeoutMs: 10_000,
        keepAliveTimeoutMs: 5_000,
        shutdownGracePeriodMs: 10_000,
        drainDelayMs: 0,
        requestTimeoutMs: 60_000,
        readyChecksSubgraphs: false,
        readyChecksRedis: false,
        workers: 1,
        admission: { maxConcurrent: 'auto', maxQueue: 1000, queueTimeoutMs: 10_000 },
        heapGrowthPercent: 50,
        tls: null,
        cors: {
          origins: ['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com'],
          credentials: false,
          maxAgeSeconds: 600,
          allowHeaders: [
            'content-type',
            'authorization',
            'apollo-require-preflight',
            'x-apollo-operation-name',
            'apollographql-client-name',
            'apollographql-client-version',
            'x-request-id',
            'x-portico-cost',
          ],
        },
        websocket: {
          enabled: true,
          maxConnections: 10_000,
          maxConnectionsPerAddress: 100,
          maxSubscriptionsPerConnection: 100,
          maxMessageBytes: 131_072,
          connectionInitTimeoutMs: 5000,
          pingIntervalMs: 15_000,
          idleTimeoutMs: 300_000,
        },
      },
      upstream: {
        timeoutMs: 30_000,
        maxResponseBytes: 32 * 1024 * 1024,
        maxConnectionsPerSubgraph: 128,
        dedupQueries: true,
        subscriptionTransport: 'websocket',
        maxSubscriptions: 10_000,
        maxSubscriptionsPerAddress: 100,
        maxSubscriptionUpstreams: 1000,
        retry: { maxRetries: 2, initialDelayMs: 50, maxDelayMs: 1000, budgetPercent: 20, budgetMinPerSecond: 5 },
        breaker: { enabled: true, failureThreshold: 5, resetTimeoutMs: 10_000 },
      },
      metrics: {
        enabled: true,
        clientNameHeader: 'apollographql-client-name',
        clientVersionHeader: 'apollographql-client-version',
        listener: 'public',
        port: 9464,
        host: '0.0.0.0',
        maxLabelValues: 100,
      },
      operationRecording: {
        enabled: true,
        store: 'memory',
        maxOperations: 1000,
        maxClientsPerOperation: 20,
        maxDocumentBytes: 16_384,
        ttlSeconds: 604_800,
        flushIntervalMs: 2000,
      },
      telemetry: { tracing: { enabled: false, otlpEndpoint: null, serviceName: 'portico-gateway', sampleRatio: 1 } },
      subgraphs: {},
      authentication: {
        mode: 'optional',
        algorithms: ['HS256'],
        secret: 'portico-development-jwt-secret',
        publicKeyFile: null,
        jwks: null,
        issuer: [],
        audience: [],
        clockToleranceSeconds: 5,
        requireExpiry: true,
        maxTokenAgeSeconds: null,
        requiredClaims: [],
        cookie: null,
        forwardToken: false,
        forwardClaims: [],
      },
      authorization: { unauthorized: 'filter', policyModule: null },
      subgraphSigning: { secret: 'portico-development-signing-secret' },
      headers: { all: [], subgraphs: {} },
      limits: {
        maxDocumentBytes: 32_768,
        maxTokens: 5_000,
        maxDepth: 15,
        maxAliases: 30,
        maxRootFields: 20,
        maxDirectives: 50,
        maxBatchSize: 10,
        maxExpandedFields: 2_000,
        maxDeferredFragments: 16,
        maxJsonDepth: 32,
        maxVariablesBytes: 65_536,
      },
      demandControl: { maxCost: 5_000, defaultListSize: 10, exposeCost: true },
      redis: { url: null, keyPrefix: 'portico:', commandTimeoutMs: 250 },
      rateLimit: {
        enabled: true,
        store: 'memory',
        onStoreError: 'open',
        apiKeyHeader: 'x-api-key',
        apiKeys: [],
        trustedProxies: [],
        perAddress: {
          windowSeconds: 60,
          limit: 3000,
          holdRefusalsMs: 5000,
          maxHeldRequests: 64,
          maxConnections: 256,
          maxInFlight: 8,
          newDocuments: { windowSeconds: 10, limit: 100 },
          bodyBytes: { windowSeconds: 10, limit: 33_554_432 },
          authFailures: { windowSeconds: 10, limit: 50 },
        },
        default: { windowSeconds: 60, limit: 600 },
        rules: [],
        cost: { windowSeconds: 60, budget: 50_000 },
        pace: { maxDelayMs: 0, burstPercent: 10 },
      },
      persistedQueries: { enabled: true, store: 'memory', ttlSeconds: 86_400 },
      trustedDocuments: { mode: 'off', manifest: null },
    });
  });

  it('defaults to production, without introspection, landing page or stack traces, when NODE_ENV=production', () => {
    const config = loadGatewayConfig({ cwd: dir, env: { NODE_ENV: 'production', ...signing } });
    expect(config).toMatchObject({ mode: 'production', introspection: false, landingPage: false, explorer: false, includeStacktraceInErrors: false });
  });

  it('serves metrics on the internal listener in production (port 9464, or a free one with server.port 0), on the public port in development', () => {
    const production = loadGatewayConfig({ cwd: dir, env: { NODE_ENV: 'production', ...signing } });
    expect(production.metrics).toMatchObject({ listener: 'internal', port: 9464, host: '0.0.0.0' });
    const ephemeral = loadGatewayConfig({ cwd: dir, env: { NODE_ENV: 'production', ...signing }, overrides: { port: 0, host: '127.0.0.1' } });
    expect(ephemeral.metrics).toMatchObject({ listener: 'internal', port: 0, host: '127.0.0.1' });
    expect(load('metrics: { listener: internal, port: 9100, host: 10.0.0.5 }').metrics).toMatchObject({ listener: 'internal', port: 9100, host: '10.0.0.5' });
    expect(problemsOf(() => load('server: { port: 9464 }\nmetrics: { listener: internal }'))).toEqual([
      'metrics.port: 9464 is server.port; the internal metrics listener needs a port of its own (or metrics.listener: public)',
    ]);
  });

  it('reads API keys from the environment, and refuses the names of built-in rate-limit rules', () => {
    const config = load('rateLimit: { apiKeys: "${env.PORTICO_API_KEYS}" }', 'yaml', { env: { PORTICO_API_KEYS: 'key-one-0123456789, key-two-0123456789' } });
    expect(config.rateLimit.apiKeys).toEqual(['key-one-0123456789', 'key-two-0123456789']);
    expect(problemsOf(() => load('rateLimit: { rules: [{ name: address, operationName: A, windowSeconds: 1, limit: 1 }] }'))[0]).toMatch(
      /^rateLimit\.rules\[0\]\.name: "address" is taken/,
    );
  });

  it('lets the file choose the mode and turn single features back on', () => {
    const config = load('mode: production\nintrospection: true\n', 'yaml', { env: { NODE_ENV: 'development' } });
    expect(config).toMatchObject({ mode: 'production', introspection: true, landingPage: false });
  });

  it('refuses mode: development in the file when NODE_ENV=production, saying how to fix it', () => {
    expect(problemsOf(() => load('mode: development\n', 'yaml', { env: { NODE_ENV: 'production' } }))).toEqual([
      'mode: "development" in the config file, but NODE_ENV=production: remove mode from the file (NODE_ENV then decides), set mode: production, or unset NODE_ENV to run in development',
    ]);
    // Through an expanded variable too: what counts is the value the file ends up with.
    expect(problemsOf(() => load('mode: ${env.MODE}\n', 'yaml', { env: { NODE_ENV: 'production', MODE: 'development' } }))).toHaveLength(1);
    // The other way round is stricter than the environment asks, and allowed.
    expect(load('mode: development\n', 'yaml', { env: { NODE_ENV: 'development' } }).mode).toBe('development');
    expect(load('mode: production\n', 'yaml', { env: { NODE_ENV: 'development' } }).mode).toBe('production');
  });

  it('reads JSON as well as YAML', () => {
    expect(load('{"server": {"port": 8080}}', 'json').server.port).toBe(8080);
    expect(load('server:\n  port: 8081\n', 'yml').server.port).toBe(8081);
  });

  it('gives each subgraph the upstream settings, key by key, unless it sets its own', () => {
    const config = load(`
upstream: { timeoutMs: 5000, maxResponseBytes: 1048576, retry: { maxRetries: 1 } }
subgraphs:
  products: { url: "http://products.internal:4001/graphql" }
  reviews: { timeoutMs: 200, maxResponseBytes: 4194304, dedupQueries: false, subscriptionTransport: sse, retry: { maxDelayMs: 100 }, breaker: { failureThreshold: 2 } }
`);
    const retry = { maxRetries: 1, initialDelayMs: 50, maxDelayMs: 1000, budgetPercent: 20, budgetMinPerSecond: 5 };
    const breaker = { enabled: true, failureThreshold: 5, resetTimeoutMs: 10_000 };
    expect(config.subgraphs).toEqual({
      products: {
        url: 'http://products.internal:4001/graphql',
        timeoutMs: 5000,
        maxResponseBytes: 1_048_576,
        dedupQueries: true,
        subscriptionTransport: 'websocket',
        retry,
        breaker,
      },
      reviews: {
        timeoutMs: 200,
        maxResponseBytes: 4_194_304,
        dedupQueries: false,
        subscriptionTransport: 'sse',
        retry: { ...retry, maxDelayMs: 100 },
        breaker: { ...breaker, failureThreshold: 2 },
      },
    });
  });

  it('lets overrides (command-line flags) win over the file', () => {
    writeFileSync(path.join(dir, 'other.graphql'), 'type Query { a: Int }');
    const config = load('server: { port: 8080, host: "127.0.0.1" }\n', 'yaml', {
      overrides: { port: '9090', host: 'localhost', supergraphPath: 'other.graphql' },
    });
    expect(config.server).toMatchObject({ port: 9090, host: 'localhost' });
    expect(config.supergraph.path).toBe(path.join(dir, 'other.graphql'));
  });

  it('refuses a section of the wrong kind even where a flag sets a key inside it, instead of dropping it', () => {
    for (const [file, overrides, problem] of [
      ['server: [1, 2]\n', { port: '0' }, /^server: must be an object/],
      ['supergraph: schema/other.graphql\n', { supergraphPath: 'x.graphql' }, /^supergraph: must be an object/],
      ['subgraphs: { accounts: "http://x" }\n', { subgraphUrls: { accounts: 'http://y' } }, /^subgraphs\.accounts: must be an object/],
    ] as const) {
      const problems = problemsOf(() => load(file, 'yaml', { overrides }));
      expect(
        problems.some((line) => problem.test(line)),
        problems.join('\n'),
      ).toBe(true);
    }
  });

  it('takes server.workers as a number, from the environment, from --workers, or "auto" (one per CPU)', () => {
    expect(load('server: { workers: 3 }\n').server.workers).toBe(3);
    expect(load('server: { workers: "${env.WORKERS}" }\n', 'yaml', { env: { WORKERS: '4' } }).server.workers).toBe(4);
    expect(load('server: { workers: 3 }\n', 'yaml', { overrides: { workers: '2' } }).server.workers).toBe(2);
    expect(load('server: { workers: auto }\n').server.workers).toBe(availableParallelism());
    expect(load('', 'yaml', { overrides: { workers: 'auto' } }).server.workers).toBe(availableParallelism());
  });

  it('keeps a subgraph named __proto__ a subgraph (refused later as unknown), never a prototype', () => {
    const config = load('{"subgraphs": {"__proto__": {"timeoutMs": 5}}}', 'json');
    expect(Object.hasOwn(config.subgraphs, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(config.subgraphs)).toBe(Object.prototype);
  });

  it('resolves TLS files against the working directory', () => {
    const config = load('server:\n  tls: { certFile: cert.pem, keyFile: key.pem }\n');
    expect(config.server.tls).toEqual({ certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') });
  });

  describe('environment variables', () => {
    it('expands ${env.NAME} and ${env.NAME:-default}, converting to the type of the key', () => {
      const config = load(
        `
mode: \${env.MODE:-production}
introspection: \${env.INTROSPECTION}
server:
  host: \${env.HOST:-127.0.0.1}
  port: \${env.PORT}
  cors:
    origins: \${env.ORIGINS}
subgraphs:
  products: { url: "http://\${env.PRODUCTS_HOST}:4001/graphql" }
`,
        'yaml',
        { env: { PORT: '8443', INTROSPECTION: 'true', ORIGINS: 'https://a.example, https://b.example', PRODUCTS_HOST: 'products' } },
      );
      expect(config.mode).toBe('production');
      expect(config.introspection).toBe(true);
      expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8443 });
      expect(config.server.cors.origins).toEqual(['https://a.example', 'https://b.example']);
      expect(config.subgraphs.products?.url).toBe('http://products:4001/graphql');
    });

    it('uses the default when the variable is set but empty, like the shell', () => {
      expect(load('server: { host: "${env.HOST:-localhost}" }', 'yaml', { env: { HOST: '' } }).server.host).toBe('localhost');
    });

    it('keeps $${ as a literal ${', () => {
      expect(load('server: { host: "$${env.HOST}" }').server.host).toBe('${env.HOST}');
    });

    it('names an unset variable without a default, once', () => {
      expect(problemsOf(() => load('server:\n  port: ${env.GATEWAY_PORT}\n'))).toEqual([
        'server.port: environment variable GATEWAY_PORT is not set (set it, or give a default with ${env.GATEWAY_PORT:-default})',
      ]);
    });

    it('reports a value from the environment that has the wrong type', () => {
      expect(problemsOf(() => load('server:\n  port: ${env.PORT}\n', 'yaml', { env: { PORT: 'eighty' } }))).toEqual([
        'server.port: must be an integer from 0 to 65535 (got "eighty")',
      ]);
    });

    it('refuses a placeholder of another form', () => {
      expect(problemsOf(() => load('server: { host: "${HOST}" }'))[0]).toMatch(/^server\.host: unsupported placeholder "\$\{HOST\}"; use \$\{env\.NAME\}/);
    });
  });

  describe('invalid values', () => {
    it.each([
      ['mode: staging', 'mode: must be one of "development", "production" (got "staging")'],
      ['introspection: "yes"', 'introspection: must be true or false (got "yes")'],
      ['landingPage: 1', 'landingPage: must be true or false (got 1)'],
      ['includeStacktraceInErrors: null', 'includeStacktraceInErrors: must be true or false (got null)'],
      ['supergraph: { path: "" }', 'supergraph.path: must be a non-empty string (got "")'],
      ['supergraph: { url: "registry.internal/supergraph" }', 'supergraph.url: must be an http:// or https:// URL (got "registry.internal/supergraph")'],
      ['supergraph: { pollIntervalMs: 0 }', 'supergraph.pollIntervalMs: must be an integer of at least 1 (got 0)'],
      ['supergraph: schema.graphql', 'supergraph: must be an object with keys path, url, watch, pollIntervalMs (got "schema.graphql")'],
      ['server: { host: 5 }', 'server.host: must be a non-empty string (got 5)'],
      ['server: { port: "abc" }', 'server.port: must be an integer from 0 to 65535 (got "abc")'],
      ['server: { port: 70000 }', 'server.port: must be an integer from 0 to 65535 (got 70000)'],
      ['server: { port: 80.5 }', 'server.port: must be an integer from 0 to 65535 (got 80.5)'],
      ['server: { graphqlPath: graphql }', 'server.graphqlPath: must be a URL path starting with "/", such as "/graphql" (got "graphql")'],
      ['server: { bodyLimitBytes: 0 }', 'server.bodyLimitBytes: must be an integer of at least 1 (got 0)'],
      ['server: { shutdownGracePeriodMs: -1 }', 'server.shutdownGracePeriodMs: must be an integer of at least 0 (got -1)'],
      ['server: { workers: 0 }', `server.workers: must be ${workersAccepted} (got 0)`],
      ['server: { workers: -1 }', `server.workers: must be ${workersAccepted} (got -1)`],
      ['server: { workers: 1.5 }', `server.workers: must be ${workersAccepted} (got 1.5)`],
      [
        'server: { admission: { maxConcurrent: "many" } }',
        'server.admission.maxConcurrent: must be a whole number of at least 1, or "auto" (follows the event loop) (got "many")',
      ],
      ['server: { admission: { maxQueue: -1 } }', 'server.admission.maxQueue: must be an integer of at least 0 (got -1)'],
      ['server: { workers: many }', `server.workers: must be ${workersAccepted} (got "many")`],
      ['server: { tls: true }', 'server.tls: must be an object with keys certFile, keyFile (got true)'],
      [
        'server: { cors: { origins: "https://a.example" } }',
        'server.cors.origins: must be a list of origins such as ["https://app.example.com"], or ["*"] (got "https://a.example")',
      ],
      [
        'server: { cors: { origins: ["https://a.example/app"] } }',
        'server.cors.origins[0]: must be an origin such as "https://app.example.com" (scheme://host[:port], no path) or "*" (got "https://a.example/app")',
      ],
      ['server: { cors: { credentials: "no" } }', 'server.cors.credentials: must be true or false (got "no")'],
      ['server: { cors: { maxAgeSeconds: -5 } }', 'server.cors.maxAgeSeconds: must be an integer of at least 0 (got -5)'],
      ['server: { cors: { allowHeaders: ["x bad"] } }', 'server.cors.allowHeaders[0]: must be an HTTP header name (got "x bad")'],
      ['upstream: { timeoutMs: 0 }', 'upstream.timeoutMs: must be an integer of at least 1 (got 0)'],
      ['upstream: { maxConnectionsPerSubgraph: "many" }', 'upstream.maxConnectionsPerSubgraph: must be an integer of at least 1 (got "many")'],
      [
        'subgraphs: []',
        'subgraphs: must be a mapping from subgraph name to { url, timeoutMs, maxResponseBytes, dedupQueries, subscriptionTransport, retry, breaker } (got [])',
      ],
      [
        'subgraphs: { products: "http://x" }',
        'subgraphs.products: must be an object with keys url, timeoutMs, maxResponseBytes, dedupQueries, subscriptionTransport, retry, breaker (got "http://x")',
      ],
      ['subgraphs: { products: { url: "products:4001" } }', 'subgraphs.products.url: must be an http:// or https:// URL (got "products:4001")'],
      ['subgraphs: { products: { timeoutMs: 1.5 } }', 'subgraphs.products.timeoutMs: must be an integer of at least 1 (got 1.5)'],
      ['metrics: { clientNameHeader: "x client" }', 'metrics.clientNameHeader: must be an HTTP header name (got "x client")'],
      ['server: { requestTimeoutMs: 0 }', 'server.requestTimeoutMs: must be an integer of at least 1 (got 0)'],
      ['upstream: { retry: { maxRetries: 11 } }', 'upstream.retry.maxRetries: must be an integer from 0 to 10 (got 11)'],
      ['upstream: { retry: { budgetPercent: 150 } }', 'upstream.retry.budgetPercent: must be an integer from 0 to 100 (got 150)'],
      ['upstream: { breaker: { enabled: "yes" } }', 'upstream.breaker.enabled: must be true or false (got "yes")'],
      ['subgraphs: { products: { breaker: { resetTimeoutMs: 0 } } }', 'subgraphs.products.breaker.resetTimeoutMs: must be an integer of at least 1 (got 0)'],
    ])('%s', (content, problem) => {
      expect(problemsOf(() => load(content))).toEqual([problem]);
    });

    it('never shows a secret it refuses, nor the password in a URL: the message goes to logs', () => {
      const problems = problemsOf(() =>
        load(
          'authentication: { secret: "${env.JWT}" }\nsubgraphSigning: { secret: "${env.SIG}" }\nredis: { url: "redis//:hunter2supersecret@redis:6379" }\n',
          'yaml',
          {
            env: { JWT: 'xyzpassword12', SIG: 'abc' },
          },
        ),
      );
      expect(problems).toHaveLength(3);
      expect(problems).toContain('authentication.secret: must be a secret of at least 16 characters (got 13 characters, not shown)');
      expect(problems).toContain('subgraphSigning.secret: must be a secret of at least 16 characters (got 3 characters, not shown)');
      expect(problems.find((problem) => problem.startsWith('redis.url:'))).toContain('(got "redis//:***@redis:6379")');
      expect(problems.join('\n')).not.toMatch(/xyzpassword12|hunter2supersecret|"abc"/);
    });

    it('lists every problem at once, in one ConfigError message', () => {
      const run = () => load('server: { port: -1, host: "" }\nupstream: { timeoutMs: "soon" }\n');
      expect(problemsOf(run)).toHaveLength(3);
      expect(run).toThrow(/Invalid gateway configuration \(3 problems\):\n {2}- server\.host: .*\n {2}- server\.port: .*\n {2}- upstream\.timeoutMs: /);
    });

    it('refuses an override with a bad value', () => {
      expect(problemsOf(() => loadGatewayConfig({ cwd: dir, env: {}, overrides: { port: 'http' } }))).toEqual([
        'server.port: must be an integer from 0 to 65535 (got "http")',
      ]);
      // What `portico gateway --workers` passes on.
      for (const [workers, got] of [
        ['0', '0'],
        ['-1', '"-1"'],
        ['abc', '"abc"'],
        ['2.5', '"2.5"'],
      ]) {
        expect(problemsOf(() => loadGatewayConfig({ cwd: dir, env: {}, overrides: { workers } }))).toEqual([
          `server.workers: must be ${workersAccepted} (got ${got})`,
        ]);
      }
    });
  });

  describe('traffic protection', () => {
    it.each([
      ['limits: { maxDepth: 0 }', 'limits.maxDepth'],
      ['rateLimit: { store: redis }', 'rateLimit.store: "redis" needs redis.url'],
      ['persistedQueries: { store: redis }', 'persistedQueries.store: "redis" needs redis.url'],
      ['trustedDocuments: { mode: require }', 'trustedDocuments.manifest: mode "require" needs'],
      ['trustedDocuments: { mode: require, manifest: nope.json }', 'trustedDocuments.manifest: no file at'],
      ['rateLimit: { rules: [{ name: a, windowSeconds: 1, limit: 1 }] }', 'rateLimit.rules[0]: set exactly one of operationName and rootField'],
      ['rateLimit: { rules: [{ name: default, operationName: A, windowSeconds: 1, limit: 1 }] }', 'rateLimit.rules[0].name: "default" is taken'],
      ['rateLimit: { rules: [{ name: newDocuments, operationName: A, windowSeconds: 1, limit: 1 }] }', 'rateLimit.rules[0].name: "newDocuments" is taken'],
      ['rateLimit: { rules: [{ name: authFailures, operationName: A, windowSeconds: 1, limit: 1 }] }', 'rateLimit.rules[0].name: "authFailures" is taken'],
      ['rateLimit: { perAddress: { bodyBytes: { limit: 1000 } } }', 'rateLimit.perAddress.bodyBytes.limit: 1000 is less than server.bodyLimitBytes'],
      [
        'rateLimit: { rules: [{ name: a, rootField: users, windowSeconds: 1, limit: 1 }] }',
        'rateLimit.rules[0].rootField: must be a root field such as "Query.users"',
      ],
      ['redis: { url: "http://x" }', 'redis.url'],
    ])('%s is refused, naming the key', (content, problem) => {
      expect(problemsOf(() => load(content)).join('\n')).toContain(problem);
    });
  });

  describe('telemetry.tracing', () => {
    it('takes its endpoint and ratio from the environment', () => {
      const config = load('telemetry:\n  tracing: { enabled: true, otlpEndpoint: "${env.OTLP_URL}", sampleRatio: "${env.RATIO}" }', 'yaml', {
        env: { OTLP_URL: 'http://collector:4318/v1/traces', RATIO: '0.25' },
      });
      expect(config.telemetry.tracing).toMatchObject({ enabled: true, otlpEndpoint: 'http://collector:4318/v1/traces', sampleRatio: 0.25 });
    });

    it.each([
      ['telemetry: { tracing: { enabled: true } }', 'telemetry.tracing.otlpEndpoint: required when telemetry.tracing.enabled is true'],
      ['telemetry: { tracing: { otlpEndpoint: "collector:4318" } }', 'telemetry.tracing.otlpEndpoint: must be an http:// or https:// URL'],
      ['telemetry: { tracing: { sampleRatio: 1.5 } }', 'telemetry.tracing.sampleRatio: must be a number from 0 to 1'],
    ])('%s is refused, naming the key', (content, problem) => {
      expect(problemsOf(() => load(content)).join('\n')).toContain(problem);
    });
  });

  describe('unknown keys', () => {
    it.each([
      ['port: 4000', `port: unknown key (accepted here: ${topLevelKeys})`],
      [
        'server: { prot: 1 }',
        'server.prot: unknown key (accepted here: host, port, listenBacklog, graphqlPath, bodyLimitBytes, bodyTimeoutMs, maxBodyBytesInFlight, headersTimeoutMs, keepAliveTimeoutMs, shutdownGracePeriodMs, drainDelayMs, requestTimeoutMs, readyChecksSubgraphs, readyChecksRedis, workers, admission, heapGrowthPercent, tls, cors, websocket)',
      ],
      ['server: { cors: { origin: ["*"] } }', 'server.cors.origin: unknown key (accepted here: origins, credentials, maxAgeSeconds, allowHeaders)'],
      [
        'upstream: { timeout: 5 }',
        'upstream.timeout: unknown key (accepted here: timeoutMs, maxResponseBytes, maxConnectionsPerSubgraph, dedupQueries, subscriptionTransport, maxSubscriptions, maxSubscriptionsPerAddress, maxSubscriptionUpstreams, retry, breaker)',
      ],
      [
        'upstream: { retry: { retries: 1 } }',
        'upstream.retry.retries: unknown key (accepted here: maxRetries, initialDelayMs, maxDelayMs, budgetPercent, budgetMinPerSecond)',
      ],
      [
        'subgraphs: { products: { URL: "http://x" } }',
        'subgraphs.products.URL: unknown key (accepted here: url, timeoutMs, maxResponseBytes, dedupQueries, subscriptionTransport, retry, breaker)',
      ],
    ])('%s', (content, problem) => {
      expect(problemsOf(() => load(content))).toEqual([problem]);
    });
  });

  describe('rules across keys and files', () => {
    it('needs both TLS files or neither', () => {
      expect(problemsOf(() => load('server:\n  tls: { certFile: cert.pem }\n'))).toEqual([
        'server.tls.keyFile: is required (give certFile and keyFile together, or neither)',
      ]);
      expect(problemsOf(() => load('server:\n  tls: { keyFile: key.pem }\n'))).toEqual([
        'server.tls.certFile: is required (give certFile and keyFile together, or neither)',
      ]);
    });

    it('needs the TLS files to exist', () => {
      expect(problemsOf(() => load('server:\n  tls: { certFile: missing.pem, keyFile: key.pem }\n'))).toEqual([
        `server.tls.certFile: no file at ${path.join(dir, 'missing.pem')}`,
      ]);
    });

    it('needs the supergraph file to exist', () => {
      expect(problemsOf(() => load('supergraph: { path: nowhere.graphql }'))).toEqual([
        `supergraph.path: no file at ${path.join(dir, 'nowhere.graphql')} (run "portico compose" to write it, or pass --supergraph FILE)`,
      ]);
    });

    it('refuses stack traces in production', () => {
      expect(problemsOf(() => load('mode: production\nincludeStacktraceInErrors: true\n'))).toEqual([
        'includeStacktraceInErrors: cannot be true in production mode (it would send internals to clients)',
      ]);
    });

    it('refuses credentials with any origin', () => {
      expect(problemsOf(() => load('server: { cors: { origins: ["*"], credentials: true } }'))[0]).toMatch(
        /^server\.cors\.credentials: cannot be true while server\.cors\.origins contains "\*"/,
      );
    });

    it('refuses a pacing wait as long as the request timeout', () => {
      expect(problemsOf(() => load('server: { requestTimeoutMs: 5000 }\nrateLimit: { pace: { maxDelayMs: 5000 } }'))[0]).toBe(
        'rateLimit.pace.maxDelayMs: 5000 is not below server.requestTimeoutMs (5000); an operation waiting for its turn that long would time out before it runs',
      );
      expect(() => load('server: { requestTimeoutMs: 5000 }\nrateLimit: { pace: { maxDelayMs: 4999 } }')).not.toThrow();
    });

    it('keeps the health endpoints for themselves', () => {
      expect(problemsOf(() => load('server: { graphqlPath: /health }'))[0]).toMatch(/^server\.graphqlPath: "\/health" is taken/);
      expect(problemsOf(() => load('server: { graphqlPath: /metrics }'))[0]).toMatch(/^server\.graphqlPath: "\/metrics" is taken/);
    });
  });

  describe('the file itself', () => {
    it('names a file that cannot be read', () => {
      expect(problemsOf(() => loadGatewayConfig({ cwd: dir, env: {}, file: 'absent.yaml' }))[0]).toMatch(
        /^config file .*absent\.yaml: cannot be read \(ENOENT\)/,
      );
    });

    it('names a file that is not valid YAML or JSON', () => {
      expect(problemsOf(() => load('server: [unclosed'))[0]).toMatch(/^config file .*: is not valid YAML: /);
      expect(problemsOf(() => load('{"server": ', 'json'))[0]).toMatch(/^config file .*: is not valid JSON: /);
    });

    it('refuses an extension it does not read', () => {
      expect(problemsOf(() => load('server = 1', 'toml'))[0]).toMatch(/unsupported extension "\.toml" \(accepted: \.yaml, \.yml, \.json\)/);
    });

    it('refuses a file that is not a mapping', () => {
      expect(problemsOf(() => load('- a\n- b\n'))).toEqual([`(top level): must be an object with keys ${topLevelKeys} (got ["a","b"])`]);
    });

    it('treats an empty file as all defaults', () => {
      expect(load('').server.port).toBe(4000);
    });
  });
});

describe('security settings', () => {
  it('requires a signing secret in production, and refuses the development ones', () => {
    expect(problemsOf(() => loadGatewayConfig({ cwd: dir, env: { NODE_ENV: 'production' } }))).toEqual([
      'subgraphSigning.secret: required in production; set PORTICO_SIGNING_SECRET (the subgraphs need the same value)',
    ]);
    expect(
      problemsOf(() =>
        load('mode: production\nauthentication: { secret: portico-development-jwt-secret }\nsubgraphSigning: { secret: portico-development-signing-secret }\n'),
      ),
    ).toEqual([
      'authentication.secret: the development secret cannot be used in production',
      'subgraphSigning.secret: the development secret cannot be used in production',
    ]);
  });

  it('turns authentication off in production when no key is configured, and takes the secret from PORTICO_JWT_SECRET', () => {
    expect(load('mode: production\n').authentication).toMatchObject({ mode: 'off', algorithms: [], secret: null });
    const config = load('mode: production\n', 'yaml', { env: { PORTICO_JWT_SECRET: 'jwt-secret-from-env-0123' } });
    expect(config.authentication).toMatchObject({ mode: 'optional', algorithms: ['HS256'], secret: 'jwt-secret-from-env-0123' });
  });

  it('refuses algorithms without a key of their family, and none at all', () => {
    expect(problemsOf(() => load('authentication: { algorithms: [RS256] }\n'))).toEqual([
      'authentication.algorithms: RS256 needs authentication.publicKeyFile or authentication.jwks.url',
    ]);
    expect(problemsOf(() => load('authentication: { algorithms: [none] }\n'))[0]).toMatch(/^authentication\.algorithms\[0\]: must be one of HS256/);
    expect(problemsOf(() => load('mode: production\nauthentication: { mode: required }\n'))).toEqual([
      'authentication.mode: "required" needs a key: set authentication.secret (or PORTICO_JWT_SECRET), authentication.publicKeyFile or authentication.jwks.url',
    ]);
  });

  it('refuses header rules of no known form, or that touch reserved headers', () => {
    expect(
      problemsOf(() => load('headers:\n  all:\n    - { propagate: x-portico-subject }\n    - { propagate: a, set: b }\n    - { matching: "(" }\n')),
    ).toEqual([
      'headers.all[0]: "x-portico-subject" is reserved (hop-by-hop, content or x-portico-*; forward tokens with authentication.forwardToken)',
      'headers.all[1]: must be one of { propagate: NAME }, { propagate: NAME, rename: NAME }, { matching: REGEX }, { set: NAME, value: TEXT } (got keys propagate,set)',
      expect.stringMatching(/^headers\.all\[2\]\.matching: not a valid regular expression/),
    ]);
  });

  it('refuses a header value that no HTTP request could carry, at start, without showing it', () => {
    const problems = problemsOf(() =>
      load(
        'headers:\n  all:\n    - { set: x-hostile, value: "${env.HOSTILE}" }\n  subgraphs:\n    products:\n      - { set: x-ok, value: "Bearer tok\\ten" }\n',
        'yaml',
        {
          env: { HOSTILE: 'Bearer hunter2\r\nx-injected: 1' },
        },
      ),
    );
    expect(problems).toEqual(['headers.all[0].value: must be an HTTP header value (no CR, LF or other control characters) (got 29 characters, not shown)']);
  });

  it('refuses a policy module or public key that is not there', () => {
    expect(problemsOf(() => load('authorization: { policyModule: nope.mjs }\nauthentication: { publicKeyFile: nope.pem }\n'))).toEqual([
      `authentication.publicKeyFile: no file at ${path.join(dir, 'nope.pem')}`,
      `authorization.policyModule: no file at ${path.join(dir, 'nope.mjs')}`,
    ]);
  });

  it('refuses a public key file that holds no public key, at load rather than at the first token', () => {
    writeFileSync(path.join(dir, 'not-a-key.pem'), 'hello\n');
    expect(problemsOf(() => load('authentication: { publicKeyFile: not-a-key.pem }\n'))).toEqual([
      `authentication.publicKeyFile: ${path.join(dir, 'not-a-key.pem')} is not a public key (PEM, such as "-----BEGIN PUBLIC KEY-----", or a certificate)`,
    ]);
  });
});
