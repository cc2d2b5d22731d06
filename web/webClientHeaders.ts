/**
 * The headers the web client's pages and files are served with in production: by nginx
 * (web/nginx.conf, which must repeat them in each `location`, since nginx drops inherited
 * `add_header`s where a location sets its own; test/packaging/webImage.test.ts checks it does) and
 * by `vite preview` (web/vite.config.ts), which the browser tests run, so the policy is proven
 * against the real build. The page keeps a signed-in token in localStorage: scripts from its own
 * origin only, so an injected `<script>` or inline handler cannot run; no framing by other sites.
 * It calls the gateway named at build time (`VITE_GRAPHQL_URL`), which may be another origin, so
 * `connect-src` allows any http(s) and ws(s) URL.
 */
export const webClientHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https: http: wss: ws:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};
