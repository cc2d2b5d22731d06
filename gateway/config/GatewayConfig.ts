import { Type, type StaticDecode } from 'typebox';
import { byMode, derivedDefault, fromOption, headerName, positive, section } from './configOptions.js';
import { operationRecordingConfigSchema } from './OperationRecordingConfig.js';
import { securityConfigProperties } from './SecurityConfig.js';
import { serverConfigSchema } from './ServerConfig.js';
import { telemetryConfigProperties } from './TelemetryConfig.js';
import { trafficConfigProperties } from './TrafficConfig.js';
import { subgraphsConfigSchema, upstreamConfigSchema } from './UpstreamConfig.js';

export type { AdmissionConfig, CorsConfig, ServerConfig, TlsConfig } from './ServerConfig.js';
export type { BreakerConfig, RetryConfig, SubgraphConfig, UpstreamConfig } from './UpstreamConfig.js';

/**
 * The gateway config, described once: the file's keys (all optional), their types, defaults,
 * validation and README rows all come from here and the section files it composes. The order of
 * the keys is the README's and the one defaults are applied in (`mode` first: other defaults
 * follow it). To add an option, add one line to its section: see `configOptions.ts`.
 */
export const gatewayConfigSchema = section({
  mode: Type.Enum(['development', 'production'], {
    derived: derivedDefault('`production` when `NODE_ENV=production`, else `development`', ({ env }) =>
      env.NODE_ENV === 'production' ? 'production' : 'development',
    ),
    description: '`development` or `production`. Sets the defaults of the next three options; production masks unexpected errors as `Internal server error`.',
  }),
  introspection: Type.Boolean({
    derived: byMode(true, false),
    description: 'Answer introspection queries (`__schema`, `__type`). When off, validation errors no longer suggest field names.',
  }),
  landingPage: Type.Boolean({
    derived: byMode(true, false),
    description:
      'Serve the Apollo Sandbox when a browser opens the GraphQL path, opened on an example query of the supergraph with a note on where a token goes. A browser that cannot load the Sandbox from Apollo (offline) is sent to the offline explorer when `explorer` is on.',
  }),
  explorer: Type.Boolean({
    derived: byMode(true, false),
    description: 'Serve the bundled GraphiQL explorer (schema docs, history, headers editor) at `/graphiql`. It needs no internet: for air-gapped networks.',
  }),
  includeStacktraceInErrors: Type.Boolean({
    default: false,
    description: 'Put `extensions.stacktrace` on errors, for debugging the gateway itself. Refused in production.',
  }),
  supergraph: section({
    path: Type.String({
      minLength: 1,
      filePath: true,
      default: 'schema/supergraph.graphql',
      description:
        'The composed supergraph (`portico compose` writes it), relative to the working directory: a regular file (a FIFO or a device is refused) of at most 32 MiB, read within `upstream.timeoutMs` (at least 5 s). Flag: `--supergraph`.',
    }),
    url: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s]+$',
        accepts: 'an http:// or https:// URL',
        defaultNote: 'the file at `supergraph.path`',
        description:
          'Download the supergraph from this `http://` or `https://` URL instead (a plain GET answering 200 with the SDL, at most 32 MiB: a larger answer is refused unread, and the previous supergraph kept); `supergraph.path` is then ignored. The gateway does not start if the first download fails.',
      }),
    ),
    watch: Type.Boolean({
      default: true,
      description:
        'Reload the supergraph when the file (or what the URL serves) changes, without a restart and without failing requests in flight. A file that cannot be used is refused: the previous supergraph keeps serving, and the reason is logged (in development, `/ready` shows when, under `details.supergraph.lastError.at`).',
    }),
    pollIntervalMs: positive(1000, { description: 'How often the file is checked, or the URL fetched, for changes.' }),
  }),
  server: serverConfigSchema,
  upstream: upstreamConfigSchema,
  metrics: section({
    enabled: Type.Boolean({ default: true, description: 'Serve Prometheus metrics at `/metrics` (see "Metrics").' }),
    clientNameHeader: headerName({
      default: 'apollographql-client-name',
      description: 'The request header that names the client, for the `client_name` label.',
    }),
    clientVersionHeader: headerName({
      default: 'apollographql-client-version',
      description: "The request header that gives the client's version, for the `client_version` label.",
    }),
    // Metrics name operations and clients: production keeps them off the public port.
    listener: Type.Enum(['internal', 'public'], {
      derived: byMode('public', 'internal'),
      description:
        "Where `/metrics` is served: `internal`, on a listener of its own (`metrics.port`, `metrics.host`; the public port answers 404), or `public`, on the gateway's port.",
    }),
    // 9464 is the Prometheus exporter port of OpenTelemetry's conventions. A gateway on a free
    // port (tests, several on one machine) gets its metrics listener on one too.
    port: Type.Integer({
      minimum: 0,
      maximum: 65_535,
      derived: derivedDefault('`9464` (`0` when `server.port` is `0`)', (context) => (context.get('server.port') === 0 ? 0 : 9464)),
      description: "The internal metrics listener's port; `0` picks a free one.",
    }),
    host: Type.String({ minLength: 1, derived: fromOption('server.host'), description: "The internal metrics listener's interface." }),
    maxLabelValues: positive(100, {
      description:
        "Most values of each client-chosen label (operation name, client name and version) reported at a time, the most used recently (see Metrics); others count as `other`, and a metric keeps at most 10 × this many series with client-chosen values. The gateway's own labels are never bounded.",
    }),
  }),
  operationRecording: operationRecordingConfigSchema,
  telemetry: telemetryConfigProperties.telemetry,
  subgraphs: subgraphsConfigSchema,
  ...securityConfigProperties,
  ...trafficConfigProperties,
});

/** The gateway's configuration as `loadGatewayConfig` returns it: checked, every default filled in. */
export type GatewayConfig = StaticDecode<typeof gatewayConfigSchema>;
export type GatewayMode = GatewayConfig['mode'];
export type SupergraphConfig = GatewayConfig['supergraph'];
export type MetricsConfig = GatewayConfig['metrics'];
