/**
 * For `/ready` with `server.readyChecksRedis`: sends Redis a PING and resolves with `"reachable"`
 * once it answers, or why not (never the URL: the log has it). A disconnected client refuses at
 * once (the gateway's client queues nothing offline); a Redis that accepts and never answers
 * counts as unreachable after `timeoutMs`. Never rejects.
 */
export function createRedisProbe(client: { ping(): Promise<string> }, timeoutMs: number): () => Promise<string> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
    });
    const answered = client.ping().then(
      (reply) => (reply === 'PONG' ? 'reachable' : 'answered without PONG'),
      () => 'unreachable',
    );
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}
