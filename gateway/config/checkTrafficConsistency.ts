import { isFile } from './isFile.js';
import type { TrafficConfig } from './TrafficConfig.js';

/**
 * The traffic-protection rules that span keys: a Redis store needs `redis.url`, trusted
 * documents need a manifest file, and each rate-limit rule says what it counts, under a unique name.
 */
export function checkTrafficConsistency(config: TrafficConfig): string[] {
  const problems: string[] = [];
  for (const key of ['rateLimit', 'persistedQueries'] as const) {
    if (config[key].store === 'redis' && config.redis.url === null) {
      problems.push(`${key}.store: "redis" needs redis.url (such as "redis://localhost:6379"), or use "memory"`);
    }
  }
  const { mode, manifest } = config.trustedDocuments;
  if (mode !== 'off' && manifest === null) {
    problems.push(`trustedDocuments.manifest: mode "${mode}" needs a persisted query manifest file`);
  }
  if (manifest !== null && !isFile(manifest)) problems.push(`trustedDocuments.manifest: no file at ${manifest}`);

  const names = new Set<string>(['address', 'default', 'cost']);
  config.rateLimit.rules.forEach((rule, index) => {
    const key = `rateLimit.rules[${index}]`;
    if ((rule.operationName === undefined) === (rule.rootField === undefined)) {
      problems.push(`${key}: set exactly one of operationName and rootField (rule "${rule.name}")`);
    }
    if (names.has(rule.name)) {
      problems.push(`${key}.name: "${rule.name}" is taken (rule names are unique; "address", "default" and "cost" are built in)`);
    }
    names.add(rule.name);
  });
  return problems;
}
