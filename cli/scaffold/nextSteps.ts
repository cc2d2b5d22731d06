import type { RunningDev } from '../dev/runningDev.js';
import type { ScaffoldSpec } from './ScaffoldSpec.js';
import { lowerFirst } from './subgraphNames.js';

// Where the gateway of a stack started later listens, unless `--port` moves it.
const defaultGatewayUrl = 'http://localhost:4000/graphql';

/**
 * What to do once the subgraph is written: run it against the service, query it, grow it. With
 * a `portico dev` running in this checkout, it starts the new subgraph itself, and its gateway's
 * real URL is the one to query.
 */
export function nextSteps(spec: ScaffoldSpec, running?: RunningDev): string[] {
  const { name, env } = spec.names;
  const variable = spec.kind === 'rest' ? `${env}_SERVICE_URL` : `${env}_SERVICE_ADDRESS`;
  const fallback = spec.kind === 'rest' ? spec.baseUrl : spec.address;
  const example =
    spec.kind === 'rest'
      ? `{ ${lowerFirst(spec.entity)}(id: "1") { id name } }`
      : spec.plan.lookups[0]
        ? `{ ${spec.plan.lookups[0].queryField}(${spec.plan.lookups[0].keyField}: ${spec.plan.lookups[0].keyType === 'String' ? '"1"' : '1'}) { ${spec.plan.lookups[0].keyField} } }`
        : `{ ${spec.plan.queries[0]!.queryField} { __typename } }`;
  const start = running
    ? `  1. portico dev (process ${running.pid}) is running here: it starts ${name} within seconds, reaching your service at ${fallback} (${variable}, when set before npm start, overrides it).`
    : `  1. Start everything with your service reachable: ${variable}=${fallback} npm start`;
  const lines = [
    '',
    `The ${name} subgraph is ready (port ${spec.port}). Next:`,
    start,
    `  2. Query it through the gateway at ${running?.gatewayUrl ?? defaultGatewayUrl}, e.g. ${example}`,
    `  3. Grow schema/${name}.graphql and subgraphs/${name}/, then run npm run codegen && npm run compose.`,
    `  4. Deploying: set ${variable} on the ${name} service in docker-compose.yml.`,
    '  5. Commit the new files and the changed registries, generated code included.',
  ];
  if (spec.kind === 'grpc' && spec.plan.skipped.length > 0) {
    lines.push(`Not exposed (not reads; add mutations by hand if you want them): ${spec.plan.skipped.join(', ')}.`);
  }
  return lines;
}
