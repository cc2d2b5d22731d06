import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { htmlPageHeaders } from '../../common/http/htmlPageHeaders.js';
import { explorerAssetsDir } from './explorerAssetsDir.js';

/** Where the explorer is served. */
export const explorerPath = '/graphiql';

export interface ExplorerRouteOptions {
  /** `server.graphqlPath`: where the explorer sends its queries. */
  graphqlPath: string;
  /** The operation the editor opens with. */
  exampleQuery: string;
  /** Offer the query plan view (`POST /graphiql/plan`): in development only. */
  showsQueryPlan?: boolean;
}

/** Answers a request under `/graphiql`; returns the HTTP status it sent. */
export type ExplorerRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => number;

/**
 * The bundled GraphiQL explorer: a page, its script and its stylesheet, all from this gateway,
 * so it works with no internet. The assets are read once, at start; they are committed
 * (`portico codegen` writes them), so a production install without dev dependencies has them.
 */
export function createExplorerRoute(options: ExplorerRouteOptions): ExplorerRoute {
  const assets = new Map([
    [`${explorerPath}/explorer.js`, { type: 'text/javascript; charset=utf-8', body: readFileSync(join(explorerAssetsDir, 'explorer.js')) }],
    [`${explorerPath}/explorer.css`, { type: 'text/css; charset=utf-8', body: readFileSync(join(explorerAssetsDir, 'explorer.css')) }],
  ]);
  const page = Buffer.from(explorerPage(options));
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `${url.pathname} answers GET and HEAD only`, { allow: 'GET, HEAD' });
    }
    const asset =
      url.pathname === explorerPath || url.pathname === `${explorerPath}/` ? { type: 'text/html; charset=utf-8', body: page } : assets.get(url.pathname);
    if (!asset) throw new HttpError(ErrorCode.NOT_FOUND, `No route for ${url.pathname}; the explorer is at ${explorerPath}`);
    res.writeHead(200, { ...htmlPageHeaders, 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return 200;
  };
}

function explorerPage({ graphqlPath, exampleQuery, showsQueryPlan = false }: ExplorerRouteOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Portico explorer</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${explorerPath}/explorer.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql" data-endpoint="${escapeHtml(graphqlPath)}" data-example="${escapeHtml(exampleQuery)}"${showsQueryPlan ? ` data-plan="${explorerPath}/plan"` : ''}></div>
  <script src="${explorerPath}/explorer.js"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
