/** What a loader puts in a failed key's slot: DataLoader fails a key only when its slot holds an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
