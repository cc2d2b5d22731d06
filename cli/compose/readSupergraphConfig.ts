import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** One subgraph as the supergraph config lists it. */
export interface SubgraphEntry {
  name: string;
  /** Where the gateway sends this subgraph's fetches. */
  routingUrl: string;
  /** The SDL file, resolved against the config's folder. */
  schemaFile: string;
}

export interface SupergraphConfig {
  /** The config file itself. */
  file: string;
  subgraphs: SubgraphEntry[];
}

const subgraphName = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Reads the subgraph list (Rover's `supergraph.yaml` shape: `subgraphs.<name>.routing_url` and
 * `schema.file`), refusing anything it would otherwise silently ignore.
 */
export function readSupergraphConfig(file: string): SupergraphConfig {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const root = asRecord(raw);
  if (!root) throw new Error(`${file}: expected a mapping with a "subgraphs" key.`);
  for (const key of Object.keys(root)) {
    if (key !== 'subgraphs' && key !== 'federation_version') problems.push(`${key}: unknown key (accepted: federation_version, subgraphs)`);
  }
  const listed = asRecord(root.subgraphs);
  if (!listed || Object.keys(listed).length === 0) problems.push('subgraphs: list at least one subgraph');

  const subgraphs: SubgraphEntry[] = [];
  for (const [name, value] of Object.entries(listed ?? {})) {
    const at = `subgraphs.${name}`;
    if (!subgraphName.test(name)) problems.push(`${at}: a name is lowercase letters, digits and dashes, starting with a letter`);
    const entry = asRecord(value);
    const schema = asRecord(entry?.schema);
    for (const key of Object.keys(entry ?? {})) {
      if (key !== 'routing_url' && key !== 'schema') problems.push(`${at}.${key}: unknown key (accepted: routing_url, schema)`);
    }
    if (typeof entry?.routing_url !== 'string' || !isHttpUrl(entry.routing_url)) {
      problems.push(`${at}.routing_url: must be an http(s) URL (got ${JSON.stringify(entry?.routing_url)})`);
    }
    if (typeof schema?.file !== 'string') problems.push(`${at}.schema.file: must be the path of the subgraph's SDL file`);
    if (problems.length === 0) {
      subgraphs.push({ name, routingUrl: entry!.routing_url as string, schemaFile: resolve(dirname(file), schema!.file as string) });
    }
  }
  if (problems.length > 0) throw new Error(`${file} is invalid:\n  ${problems.join('\n  ')}`);
  return { file, subgraphs };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
