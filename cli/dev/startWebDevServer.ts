import { join } from 'node:path';

export interface WebDevServer {
  /** Where a person opens the web client: `http://localhost:3000/`. */
  url: string;
  close(): Promise<void>;
}

export interface WebDevServerOptions {
  root: string;
  /** 3000, or 0 for a free port (`portico dev --auto-ports`). */
  port: number;
  /** The gateway's GraphQL URL, which the server proxies `/graphql` to. */
  gatewayUrl: string;
  write(line: string): void;
}

/**
 * The web client's Vite development server (hot reload), in this process: web/vite.config.ts,
 * with `/graphql` (and its WebSocket upgrades) proxied to the gateway this `portico dev` started,
 * so the page calls it on its own origin whatever port the gateway got. Vite's own lines are
 * prefixed `web | ` like every other service's.
 */
export async function startWebDevServer(options: WebDevServerOptions): Promise<WebDevServer> {
  // Loaded here: Vite is a development dependency, as `portico dev` is.
  const vite = await import('vite');
  const prefix = (message: string) => message.split('\n').map((line) => `web | ${line}`);
  const logger = vite.createLogger('info', { prefix: '' });
  const say = (message: string) => {
    for (const line of prefix(message)) options.write(line);
  };
  const server = await vite.createServer({
    configFile: join(options.root, 'web/vite.config.ts'),
    root: join(options.root, 'web'),
    clearScreen: false,
    customLogger: { ...logger, info: say, warn: say, warnOnce: say, error: say },
    server: {
      port: options.port,
      strictPort: true,
      host: 'localhost',
      proxy: { '/graphql': { target: new URL(options.gatewayUrl).origin, ws: true } },
    },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0] ?? `http://localhost:${options.port}/`;
  return { url, close: () => server.close() };
}
