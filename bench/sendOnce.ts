import { request } from 'undici';

/** POSTs one GraphQL body and returns the status and the parsed answer (or the raw text). */
export async function sendOnce(url: string, body: string): Promise<{ status: number; answer: unknown }> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await response.body.text();
  try {
    return { status: response.statusCode, answer: JSON.parse(text) as unknown };
  } catch {
    return { status: response.statusCode, answer: text };
  }
}
