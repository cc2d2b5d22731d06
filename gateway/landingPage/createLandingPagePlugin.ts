import type { ApolloServerPlugin, GraphQLServerListener, LandingPage } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

export interface LandingPageOptions {
  /** The operation the Sandbox opens with; asked at start, once the supergraph is loaded. */
  document: () => string;
  /** Where the bundled explorer is served; undefined where `explorer` is off. */
  explorerPath: string | undefined;
}

/**
 * Apollo's embedded Sandbox, which the browser loads from Apollo's CDN, plus what to do when it
 * cannot: with no internet (or a firewall in the way) Apollo's page only says "you might be
 * offline". Here the page then opens the offline explorer instead, or, where that is off, says
 * how else to send a query.
 */
export function createLandingPagePlugin(options: LandingPageOptions): ApolloServerPlugin {
  return {
    async serverWillStart(service) {
      // No telemetry from the Sandbox to Apollo: Portico reports nothing off-site (README, Metrics).
      const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false }, includeCookies: false, document: options.document() });
      const listener = (await sandbox.serverWillStart?.(service)) as GraphQLServerListener | undefined;
      const page: LandingPage | undefined = await listener?.renderLandingPage?.();
      if (!page) throw new Error('the Sandbox landing page rendered nothing');
      return {
        async renderLandingPage() {
          // A function, as Apollo's is: each page gets a fresh script nonce.
          return { html: async () => withOfflineFallback(typeof page.html === 'string' ? page.html : await page.html(), options.explorerPath) };
        },
      };
    },
  };
}

/** The page with a script, allowed by its own nonce, that runs once the Sandbox's script has loaded or failed. */
export function withOfflineFallback(html: string, explorerPath: string | undefined): string {
  const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
  const at = html.lastIndexOf('</body>');
  if (nonce === undefined || at === -1) return html;
  return `${html.slice(0, at)}<script nonce="${nonce}">${fallbackScript(explorerPath)}</script>\n${html.slice(at)}`;
}

// The Sandbox's script tag comes before this one and blocks the page until it has loaded or
// failed, so here `EmbeddedSandbox` is defined exactly when the Sandbox can start.
function fallbackScript(explorerPath: string | undefined): string {
  const message = explorerPath
    ? `<h1>Portico</h1><p>The Apollo Sandbox could not be loaded from Apollo's servers (this browser may have no internet). Opening the offline explorer: <a href="${explorerPath}">${explorerPath}</a>.</p>`
    : '<h1>Portico</h1><p>The Apollo Sandbox could not be loaded from Apollo\'s servers (this browser may have no internet), and the offline explorer is off here (explorer: false). Send GraphQL requests as POST with a JSON body such as {"query": "{ __typename }"}.</p>';
  return `
  if (typeof window.EmbeddedSandbox !== 'function') {
    var fallback = document.querySelector('.fallback');
    if (fallback) {
      fallback.innerHTML = ${JSON.stringify(message).replace(/</g, '\\u003c')};
      fallback.style.animation = 'none';
      fallback.style.opacity = '1';
    }
    ${explorerPath ? `window.location.replace(${JSON.stringify(explorerPath)});` : ''}
  }
`;
}
