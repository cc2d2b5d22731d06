export interface ListenOptions {
  port: number;
  host: string;
}

/**
 * `PORT` and `HOST` from the environment, checked once at start. A bad value throws a message
 * that says what is accepted, rather than the server quietly listening somewhere else.
 */
export function readListenOptions(env: NodeJS.ProcessEnv, defaultPort: number): ListenOptions {
  const rawPort = env.PORT?.trim();
  let port = defaultPort;
  if (rawPort !== undefined && rawPort !== '') {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535) {
      throw new Error(`PORT must be an integer from 0 to 65535 (0 picks a free port), got '${env.PORT}'`);
    }
  }
  const host = env.HOST?.trim() || '0.0.0.0';
  return { port, host };
}
