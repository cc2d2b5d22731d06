// undici's Pool, required from its own file rather than through the package's index: the index
// loads all of undici at once (fetch, cookies, WebSocket, EventSource, the mock agents, the cache
// interceptors: about 550 KB of the gateway bundle, and Node's own copy of undici for the web
// globals cookies reach for), and the gateway only ever dispatches through a Pool. undici has no
// `exports` map, so the path is public to Node; this file gives it the index's type.
declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici';
  export default Pool;
}
