// rate-limiter-flexible's limiters, required from their own files rather than through the
// package's index: the index loads every limiter it has (Mongo, MySQL, Postgres, DynamoDB, etcd,
// Prisma, Drizzle, Memcache, Valkey and the Node cluster one, which loads `node:cluster` and
// `child_process` at every start), and the gateway uses the memory and Redis ones. The package
// has no `exports` map, so the paths are public to Node; this file gives them the index's types.
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import { RateLimiterMemory } from 'rate-limiter-flexible';
  export default RateLimiterMemory;
}

declare module 'rate-limiter-flexible/lib/RateLimiterRedis.js' {
  import { RateLimiterRedis } from 'rate-limiter-flexible';
  export default RateLimiterRedis;
}

declare module 'rate-limiter-flexible/lib/RateLimiterRes.js' {
  import { RateLimiterRes } from 'rate-limiter-flexible';
  export default RateLimiterRes;
}
