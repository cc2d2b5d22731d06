import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { createLogger, type Logger } from '../../common/createLogger.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import { encodeIdentity } from '../../common/identityHeader.js';
import { signRequest } from '../../common/signing/signRequest.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';
import { createGatewayServer, type GatewayServer } from '../../gateway/createGatewayServer.js';
import { startDemoBackends, type DemoBackends, type DemoBackendsOptions } from './startDemoBackends.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs } from './startSubgraphs.js';
import { stopServer } from './stopServer.js';

export interface Stack {
  backends: DemoBackends;
  subgraphs: RunningSubgraphs;
  gateway: GatewayServer;
  /** The gateway's GraphQL endpoint. */
  url: string;
  close(): Promise<void>;
}

export interface StackOptions {
  mode?: 'development' | 'production';
  /** Extra gateway config, merged over what the stack sets. */
  config?: Record<string, unknown>;
  /** Backend addresses to use instead of the demo ones, e.g. a fake that always fails. */
  backendOverrides?: Partial<Pick<DemoBackends, 'usersUrl' | 'reviewsUrl' | 'catalogAddress' | 'inventoryAddress'>>;
  /** Where every server of the stack logs. @default quiet loggers, louder with LOG_LEVEL */
  logger?: Logger;
  /** The demo backends' data and list limit. @default the demo's */
  backends?: Pick<DemoBackendsOptions, 'data' | 'usersListLimit'>;
}

/**
 * The whole demo stack in this process on port 0: real backends, the four subgraphs and the
 * gateway serving the committed supergraph, pointed at the subgraphs through a real config file.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { logger } = options;
  const backends = await startDemoBackends({ ...options.backends, ...(logger ? { logger } : {}) });
  const subgraphs = await startSubgraphs(
    { ...backends, ...options.backendOverrides },
    {
      development: options.mode !== 'production',
      ...(options.backends?.usersListLimit ? { usersListLimit: options.backends.usersListLimit } : {}),
      ...(logger ? { logger } : {}),
    },
  );
  const config = {
    mode: options.mode ?? 'development',
    supergraph: { path: resolve('schema/supergraph.graphql') },
    subgraphs: Object.fromEntries(Object.entries(subgraphs.urls).map(([name, url]) => [name, { url }])),
    ...options.config,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'portico-stack-')), 'gateway.yaml');
  writeFileSync(file, stringify(config));
  const gateway = await createGatewayServer(loadGatewayConfig({ file, env: { PORTICO_SIGNING_SECRET: testSigningSecret } }), {
    logger: logger?.child({ name: 'test-gateway' }) ?? createLogger({ name: 'test-gateway', level: process.env.LOG_LEVEL ?? 'silent' }),
  });
  const address = await gateway.listen(0, '127.0.0.1');
  return {
    backends,
    subgraphs,
    gateway,
    url: `http://127.0.0.1:${address.port}/graphql`,
    async close() {
      await stopServer(gateway);
      await subgraphs.close();
      await backends.close();
    },
  };
}

export interface GraphQLReply {
  status: number;
  headers: Headers;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** POSTs one GraphQL operation and returns the status, headers and parsed body. */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

/** Who a signed request is for and on whose behalf, as the gateway would sign it. */
export interface SignedAs {
  /** The subgraph's name: the signature is valid for it alone. */
  audience: string;
  /** The caller, sent in `x-portico-identity`; anonymous when absent. */
  identity?: { sub: string; scopes?: readonly string[]; claims?: Record<string, unknown> };
  /** More headers (request id, deadline…), signed along with the rest. */
  headers?: Record<string, string>;
}

/** The headers of a request signed as the gateway signs it: identity, timestamp, nonce, digest, signature. */
export function signedHeaders(url: string, body: string, as: SignedAs): Record<string, string> {
  const target = new URL(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...as.headers };
  if (as.identity) headers[HeaderNames.identity] = encodeIdentity({ sub: as.identity.sub, scopes: as.identity.scopes ?? [], claims: as.identity.claims ?? {} });
  return { ...headers, ...signRequest(testSigningSecret, { method: 'POST', path: target.pathname + target.search, audience: as.audience, body, headers }) };
}

/** POSTs one operation straight to a subgraph, signed as the gateway signs it. */
export async function postSigned(url: string, query: string, variables: Record<string, unknown> | undefined, as: SignedAs): Promise<GraphQLReply> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, { method: 'POST', headers: signedHeaders(url, body, as), body });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}
