import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A guard against the class of bug where client text reaches a response header raw (a JWT `alg`
 * with CR/LF made `setHeader` throw and ended the process). Every call that writes a header in
 * gateway/, common/ and subgraphs/ must either pass its value through `toHeaderValue`, write a
 * literal, or be listed below with the reason its value is safe. A new call fails this test
 * until it does one of these, so a raw write cannot slip in unreviewed.
 */
const roots = ['gateway', 'common', 'subgraphs'];
const headerWrite = /\.(?:setHeader|writeHead|appendHeader|setHeaders)\(|\bheaders\.(?:set|append)\(/;
// A literal name and a literal (or numeric) value: nothing from outside.
const literal = /\.setHeader\('[a-z-]+', (?:'[^']*'|\d+|Buffer\.byteLength\(text\))\)/;

/** `file: line` (trimmed) → why its value cannot be client text, or is already made valid. */
const reviewed = new Map<string, string>([
  [
    "common/http/toHttpGraphQLRequest.ts: headers.set(name, Array.isArray(value) ? value.join(', ') : value);",
    'a request header map for Apollo Server, not a response',
  ],
  [
    "gateway/explorer/createExplorerRoute.ts: res.writeHead(200, { ...htmlPageHeaders, 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache' });",
    'bundled static assets: the type comes from a fixed table, htmlPageHeaders are constants',
  ],
  [
    "common/http/writeHttpGraphQLResponse.ts: if (response.headers.get('content-type')?.startsWith('text/html')) for (const [name, value] of Object.entries(htmlPageHeaders)) res.setHeader(name, value);",
    'htmlPageHeaders: constants',
  ],
  ["gateway/http/createRequestHandler.ts: res.writeHead(200, { 'content-type': options.exposition.contentType });", "the metrics library's content type"],
  ["gateway/metrics/createMetricsListener.ts: res.writeHead(200, { 'content-type': exposition.contentType });", "the metrics library's content type"],
  ["gateway/http/createRequestHandler.ts: res.writeHead(204, { 'cache-control': 'public, max-age=86400' });", 'a constant'],
  [
    'gateway/http/createRequestHandler.ts: res.setHeader(HeaderNames.requestId, requestId);',
    'resolveRequestId keeps a client id only when it matches /^[A-Za-z0-9._:@-]{1,128}$/',
  ],
  [
    'gateway/http/createGraphQLRoute.ts: for (const [name, value] of Object.entries(answer)) res.setHeader(name, value);',
    "CORS preflight headers: config values, and an Origin echoed only as Node's parser accepted it (no CR/LF/NUL; bytes as Latin-1, which setHeader takes)",
  ],
  [
    'gateway/http/createCors.ts: for (const [name, value] of Object.entries(common(allowed))) res.setHeader(name, value);',
    "an Origin echoed only as Node's parser accepted it (see above), or a configured origin",
  ],
  ["gateway/http/createCors.ts: res.setHeader('access-control-expose-headers', HeaderNames.requestId);", 'a constant'],
  [
    'gateway/pipeline/rateLimits/createRateLimits.ts: for (const [name, value] of Object.entries(rateLimitFields(policiesSeen, counted))) response.http.headers.set(name, value);',
    'Apollo response headers: writeHttpGraphQLResponse passes every one through toHeaderValue',
  ],
  [
    'gateway/pipeline/rateLimits/createAddressRateLimit.ts: for (const [name, value] of Object.entries(fields)) res.setHeader(name, value);',
    'rateLimitFields: numbers and configured rule names written as Structured Fields strings (escaped, ASCII only)',
  ],
  ["subgraphs/kit/createSubgraphServer.ts: res.setHeader('x-request-id', scope.requestId);", 'resolveRequestId (see above)'],
  ["gateway/pipeline/rateLimits/createClientRefusalHold.ts: headers.set('connection', 'close');", 'a constant'],
  [
    "gateway/http/runApollo.ts: if (acceptsStream || acceptsEvents) httpGraphQLRequest.headers.set('accept', 'application/json');",
    'a request header map for Apollo Server, and a constant',
  ],
  ["gateway/http/writeMultipartIncremental.ts: res.setHeader('content-type', MULTIPART_DEFER_TYPE);", 'a constant'],
  ['common/http/writeEventStream.ts: res.writeHead(200, {', 'constants only (the object literal below it)'],
  ['common/http/writeMultipartSubscription.ts: res.writeHead(200, {', 'constants only (the object literal below it)'],
  [
    "subgraphs/kit/streaming/serveMultipart.ts: res.writeHead(outcome.kind === 'refused' ? refusedStatus(outcome.result) : 200, { 'content-type': 'application/json; charset=utf-8' });",
    'a constant',
  ],
  ['subgraphs/kit/streaming/serveMultipart.ts: res.writeHead(200, {', 'constants, and a boundary the subgraph chose itself'],
  [
    'subgraphs/kit/streaming/serveSse.ts: res.writeHead(init.status, init.headers);',
    "graphql-sse's own response headers (its fixed content type and cache headers)",
  ],
  ["subgraphs/kit/streaming/serveSse.ts: res.writeHead(init.status, { ...init.headers, connection: 'close' });", 'the same, and a constant'],
  [
    "gateway/http/fastPath/createFastPath.ts: if (!response.http.headers.get('content-type')) response.http.headers.set('content-type', taken.contentType);",
    "one of the fast path's constant media types, into Apollo Server's header map (written out by writeHttpGraphQLResponse, through toHeaderValue)",
  ],
  [
    'gateway/http/fastPath/formatErrorsLikeApollo.ts: if (source.headers) for (const [name, value] of source.headers) target.headers.set(name, value);',
    "Apollo Server's mergeHTTPGraphQLHead: plugins' heads into its header map (written out by writeHttpGraphQLResponse, through toHeaderValue)",
  ],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|e2e)\.ts$/.test(entry.name) ? [path] : [];
  });
}

function headerWrites(): string[] {
  return roots.flatMap((root) =>
    sourceFiles(root).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => headerWrite.test(line))
        .map((line) => `${relative('.', file)}: ${line.trim()}`),
    ),
  );
}

describe('response header writes', () => {
  const writes = headerWrites();

  it('pass client text only through toHeaderValue', () => {
    const unreviewed = writes.filter((write) => !write.includes('toHeaderValue(') && !literal.test(write) && !reviewed.has(write));
    expect(
      unreviewed,
      'a header value written from text that may come from a client must go through common/http/toHeaderValue; ' +
        'if the value provably cannot be client text, add the line to `reviewed` in this test with the reason',
    ).toEqual([]);
  });

  it('has no reviewed line that no longer exists (the list does not rot)', () => {
    expect([...reviewed.keys()].filter((line) => !writes.includes(line))).toEqual([]);
  });

  it('are found at all (the scan works)', () => {
    expect(writes.filter((write) => write.startsWith('common/http/writeJson.ts'))).toHaveLength(3);
  });
});
