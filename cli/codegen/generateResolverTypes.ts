import { resolve } from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

interface GeneratedFile {
  filename: string;
  content: string;
}

/** Runs graphql-codegen on codegen.yml in memory: output path → content. */
export async function generateResolverTypes(configFile = 'codegen.yml'): Promise<Map<string, string>> {
  const { config } = await loadCodegenConfig({ configFilePath: configFile });
  // generate's declared type widens to `any` for its watch mode, which is never used here.
  const outputs = (await generate({ ...config, silent: true, verbose: false, watch: false }, false)) as GeneratedFile[];
  return new Map(outputs.map((output) => [resolve(output.filename), output.content]));
}
