import { createServer, type IncomingMessage, type Server } from 'node:http';
import { execute, parse, validate, type GraphQLSchema } from 'graphql';

export interface MemoisedServer {
  /** Not listening yet: the caller chooses where. */
  server: Server;
  /** GraphQL requests received (POSTs), memoised or not. */
  requests(): number;
}

/** Distinct request bodies kept; past it answers are computed every time (and still right). */
const maxMemoisedBodies = 10_000;

/** The path that reports the request count: `{"requests": N}`. */
export const countPath = '/_admin/count';

/**
 * A bench subgraph as a plain `node:http` server: the first request with a given body is
 * executed with graphql-js over the schema, and its response bytes are served to every later
 * request with that body. So a subgraph costs almost nothing and the gateway in front of it is
 * what the benchmark measures. Request headers (signatures, tracing) are ignored.
 */
export function createMemoisedServer(schema: GraphQLSchema): MemoisedServer {
  const answers = new Map<string, Promise<Buffer>>();
  let requests = 0;
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === countPath) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests }));
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    requests += 1;
    void readText(request)
      .then(async (body) => {
        let answer = answers.get(body);
        if (answer === undefined) {
          answer = answerOf(schema, body);
          if (answers.size < maxMemoisedBodies) answers.set(body, answer);
        }
        const bytes = await answer;
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length }).end(bytes);
      })
      .catch(() => response.destroy());
  });
  // Gateways keep their connections; do not make them reconnect between bursts.
  server.keepAliveTimeout = 60_000;
  return { server, requests: () => requests };
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Executes one GraphQL request body; a body that is not a valid request gets GraphQL errors. */
async function answerOf(schema: GraphQLSchema, body: string): Promise<Buffer> {
  let result: unknown;
  try {
    const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    const document = parse(query);
    const errors = validate(schema, document);
    result = errors.length > 0 ? { errors } : await execute({ schema, document, variableValues: variables ?? null, operationName: operationName ?? null });
  } catch (error) {
    result = { errors: [{ message: (error as Error).message }] };
  }
  return Buffer.from(JSON.stringify(result));
}
