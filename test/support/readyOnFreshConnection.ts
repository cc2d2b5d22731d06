import { connect } from 'node:net';

/**
 * `GET /ready` on a connection of its own (`connection: close`), as a load balancer's check
 * opens one: the raw answer, `ECONNREFUSED` when the port refuses the connection, `no answer`
 * when the connection closed without one, or `no answer (CODE)` on another socket error.
 */
export function readyOnFreshConnection(origin: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('connect', () => socket.write(`GET /ready HTTP/1.1\r\nhost: ${hostname}\r\nconnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'ECONNREFUSED' : `no answer (${error.code})`));
    socket.on('close', () => resolve(text === '' ? 'no answer' : text));
  });
}
