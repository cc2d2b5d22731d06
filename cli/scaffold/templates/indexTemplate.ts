import { apiModule, type GrpcSpec, type RestSpec, type ScaffoldSpec } from '../ScaffoldSpec.js';

/** `subgraphs/<name>/index.ts`: the entry that reads the environment and listens. */
export function indexTemplate(spec: ScaffoldSpec): string {
  return spec.kind === 'rest' ? restIndex(spec) : grpcIndex(spec);
}

function restIndex(spec: RestSpec): string {
  const { name, camel, pascal, env } = spec.names;
  return `import { createRestClient, defaultMaxResponseBytes } from '../kit/rest/createRestClient.js';
import { runSubgraph } from '../kit/runSubgraph.js';
import { create${pascal}Api } from './${apiModule(spec)}.js';
import { create${pascal}Server } from './server.js';

await runSubgraph({
  name: '${name}',
  defaultPort: ${spec.port},
  build(env, runtime) {
    const client = createRestClient({
      backend: '${name}',
      baseUrl: env.url('${env}_SERVICE_URL', '${spec.baseUrl}'),
      timeoutMs: env.int('${env}_SERVICE_TIMEOUT_MS', 5000),
      maxResponseBytes: env.int('${env}_SERVICE_MAX_RESPONSE_BYTES', defaultMaxResponseBytes),
    });
    return {
      server: create${pascal}Server({ ${camel}Api: create${pascal}Api(client), ...runtime }),
      closeClients: () => client.close(),
    };
  },
});
`;
}

function grpcIndex(spec: GrpcSpec): string {
  const { name, camel, pascal, env } = spec.names;
  return `import { runSubgraph } from '../kit/runSubgraph.js';
import { create${pascal}Api } from './${apiModule(spec)}.js';
import { create${pascal}Server } from './server.js';

await runSubgraph({
  name: '${name}',
  defaultPort: ${spec.port},
  build(env, runtime) {
    const ${camel}Api = create${pascal}Api(
      env.address('${env}_SERVICE_ADDRESS', '${spec.address}'),
      env.int('${env}_SERVICE_TIMEOUT_MS', 5000),
    );
    return {
      server: create${pascal}Server({ ${camel}Api, ...runtime }),
      closeClients: async () => ${camel}Api.close(),
    };
  },
});
`;
}
