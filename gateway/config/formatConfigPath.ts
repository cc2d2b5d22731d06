/** `['server', 'cors', 'origins', 1]` → `server.cors.origins[1]`: how messages name a key. */
export function formatConfigPath(segments: readonly (string | number)[]): string {
  let label = '';
  for (const segment of segments) {
    if (typeof segment === 'number') label += `[${segment}]`;
    else label += label === '' ? segment : `.${segment}`;
  }
  return label === '' ? '(top level)' : label;
}
