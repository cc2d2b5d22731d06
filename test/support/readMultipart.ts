/** A `multipart/mixed` answer as the gateway wrote it: its status, content type, raw text and the JSON of each part. */
export interface MultipartReply {
  status: number;
  contentType: string;
  raw: string;
  parts: Record<string, unknown>[];
}

/** POSTs one operation asking for incremental delivery (as Apollo Client asks) and reads the whole answer. */
export async function postMultipart(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  accept = 'multipart/mixed;deferSpec=20220824,application/json',
): Promise<MultipartReply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...headers }, body: JSON.stringify(body) });
  const raw = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    contentType,
    raw,
    parts: contentType.startsWith('multipart/mixed') ? partsOf(raw) : [JSON.parse(raw) as Record<string, unknown>],
  };
}

/** The JSON bodies of a `boundary="-"` multipart text, in order. */
export function partsOf(raw: string): Record<string, unknown>[] {
  return raw
    .split(/\r\n---(?:--)?\r\n/)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const blank = chunk.indexOf('\r\n\r\n');
      return JSON.parse(chunk.slice(blank + 4)) as Record<string, unknown>;
    });
}
