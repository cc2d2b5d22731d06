import { resolve } from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

/** Runs graphql-codegen on codegen.yml in memory: output path → content. */
export async function generateResolverTypes(configFile = 'codegen.yml'): Promise<Map<string, string>> {
  const { config } = await loadCodegenConfig({ configFilePath: configFile });
  const outputs = await generate({ ...config, silent: true, verbose: false }, false);
  return new Map(outputs.map((output) => [resolve(output.filename), output.content]));
}
