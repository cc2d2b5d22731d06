import type { RawData } from 'ws';

/** A message as `ws` hands it (one buffer, fragments, or an ArrayBuffer) as one Buffer. */
export function rawDataBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
