import http from 'node:http';
import type { Reply } from './expectRefused.js';
import type { Target } from './startTarget.js';

export interface AddressClient {
  /** POSTs a JSON body (a string as it is) to the target's GraphQL path from this client's address. */
  post(body: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): void;
}

/**
 * A client on another loopback address (127.0.0.2, 127.0.1.7, …): the gateway sees a different
 * TCP peer, so an attacker's address limits are not the legitimate client's (127.0.0.1). Node's
 * fetch cannot bind a local address (nor, in practice, undici's `connect.localAddress`);
 * `http.Agent`'s `localAddress` does.
 */
export function clientFrom(target: Target, localAddress: string): AddressClient {
  const agent = new http.Agent({ keepAlive: true, localAddress });
  const url = new URL(target.url);
  return {
    post: (body, headers = {}) =>
      new Promise<Reply>((resolve, reject) => {
        const payload = typeof body === 'string' ? body : JSON.stringify(body);
        const request = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              let parsed: Reply['body'];
              try {
                parsed = JSON.parse(text) as Reply['body'];
              } catch {
                parsed = undefined;
              }
              const responseHeaders = new Headers();
              for (const [name, value] of Object.entries(response.headers)) {
                if (typeof value === 'string') responseHeaders.set(name, value);
                else if (Array.isArray(value)) responseHeaders.set(name, value.join(', '));
              }
              resolve({ status: response.statusCode ?? 0, headers: responseHeaders, body: parsed });
            });
          },
        );
        request.on('error', reject);
        request.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
