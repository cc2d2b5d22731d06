/**
 * What a client holds once every part of an incremental delivery (the 2022-08-24 format: an
 * initial `data`, then `incremental: [{ data, path }]` items) is merged in at its path, as Apollo
 * Client merges them.
 */
export function mergeIncrementalParts(parts: Record<string, unknown>[]): Record<string, unknown> {
  const [first, ...rest] = parts as [
    { data: Record<string, unknown> },
    ...{ incremental?: { data?: Record<string, unknown> | null; path: (string | number)[] }[] }[],
  ];
  const data = structuredClone(first.data);
  const deepMerge = (target: Record<string, unknown>, source: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      if (existing && value && typeof existing === 'object' && typeof value === 'object' && !Array.isArray(value))
        deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>);
      else target[key] = value;
    }
  };
  for (const part of rest) {
    for (const item of part.incremental ?? []) {
      let target: unknown = data;
      for (const step of item.path) target = (target as Record<string | number, unknown>)[step];
      if (item.data) deepMerge(target as Record<string, unknown>, item.data);
    }
  }
  return data;
}
