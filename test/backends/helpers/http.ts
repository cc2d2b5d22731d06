/** A response read in full, body parsed when it is JSON. */
export interface JsonReply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** fetch with a deadline, reading the body so every connection is released. */
export async function request(url: string, init: RequestInit = {}): Promise<JsonReply> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? (JSON.parse(text) as unknown) : text };
}

/** A JSON POST. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonReply> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The `{ error: { code, message } }` body every REST backend error has. */
export function errorOf(reply: JsonReply): { code: string; message: string } {
  return (reply.body as { error: { code: string; message: string } }).error;
}
