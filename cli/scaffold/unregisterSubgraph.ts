import { isMap, isSeq, parseDocument, type ToStringOptions, type YAMLMap } from 'yaml';
import type { Registries } from './registerSubgraph.js';

// As registerSubgraph writes them: long lines kept whole, `[a, b]` without inner padding.
const style: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

/**
 * The registries without the subgraph `name`: the inverse of `registerSubgraph`, through yaml's
 * Document API so that comments and anchors stay as people wrote them. Entries that are not
 * there are left alone (a subgraph registered by hand may be missing from some).
 */
export function unregisterSubgraph(registries: Registries, name: string): Registries {
  return {
    supergraphYaml: removeFromSupergraphConfig(registries.supergraphYaml, name),
    codegenYml: removeFromCodegen(registries.codegenYml, name),
    dockerComposeYml: removeFromDockerCompose(registries.dockerComposeYml, name),
    devServicesTs: removeFromDevServices(registries.devServicesTs, name),
  };
}

function removeFromSupergraphConfig(text: string, name: string): string {
  const doc = parseDocument(text);
  doc.deleteIn(['subgraphs', name]);
  return doc.toString(style);
}

function removeFromCodegen(text: string, name: string): string {
  const doc = parseDocument(text, { merge: true });
  const generates = doc.get('generates');
  if (!isMap(generates)) return text;
  const prefix = `subgraphs/${name}/`;
  for (const item of [...generates.items]) {
    const key = String((item.key as { value?: unknown }).value ?? item.key);
    if (key.startsWith(prefix)) generates.delete(item.key);
  }
  return doc.toString(style);
}

function removeFromDockerCompose(text: string, name: string): string {
  const doc = parseDocument(text, { merge: true });
  const services = doc.get('services');
  if (!isMap(services)) return text;
  services.delete(name);
  for (const item of services.items) {
    const service = item.value;
    if (!isMap(service)) continue;
    const command = service.get('command');
    if (isSeq(command)) {
      const words = command.items.map((word) => String((word as { value?: unknown }).value));
      const at = words.findIndex((word, index) => words[index - 1] === '--subgraph-url' && word.startsWith(`${name}=`));
      if (at > 0) command.items.splice(at - 1, 2);
    }
    const dependsOn = service.get('depends_on');
    if (isMap(dependsOn)) (dependsOn as YAMLMap).delete(name);
    else if (isSeq(dependsOn)) dependsOn.items = dependsOn.items.filter((entry) => String((entry as { value?: unknown }).value) !== name);
  }
  // yaml pads flow maps and sequences alike; this file pads its one-pair maps only.
  return doc.toString(style).replace(/: \{(\w+): (\w+)\}$/gm, ': { $1: $2 }');
}

// Entries are written one per object literal, on one line or several (as registerSubgraph does).
function removeFromDevServices(text: string, name: string): string {
  const quoted = `'${name}'`;
  const multiLine = new RegExp(`^  \\{\\n    name: ${escapeRegExp(quoted)},\\n[\\s\\S]*?^  \\},\\n`, 'm');
  const oneLine = new RegExp(`^  \\{ name: ${escapeRegExp(quoted)},.*\\},\\n`, 'm');
  return text.replace(multiLine, '').replace(oneLine, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
