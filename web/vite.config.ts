import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { webClientHeaders } from './webClientHeaders.js';

// The shop's web client. `portico dev` serves it (hot reload) at http://localhost:3000 and
// proxies /graphql to the gateway it started (PORTICO_GATEWAY_URL), so the page and the API share
// an origin in development; `npm run build:web` writes the production build to web/dist, which
// calls the gateway named by VITE_GRAPHQL_URL at build time (cross-origin: the gateway's
// server.cors.origins must list the page's origin).
const gateway = process.env.PORTICO_GATEWAY_URL ?? 'http://localhost:4000/graphql';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {
    port: 3000,
    strictPort: true,
    proxy: {
      // ws: subscriptions (graphql-ws) will go the same way.
      '/graphql': { target: new URL(gateway).origin, ws: true },
    },
  },
  // The production build as nginx serves it (not the dev server: its hot reload runs inline scripts).
  preview: { headers: webClientHeaders },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
