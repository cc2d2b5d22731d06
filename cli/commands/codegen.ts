import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Command } from 'commander';

/** `portico codegen`: typed resolvers from each subgraph's SDL, typed gRPC clients from the protos, the README's config table. */
export function codegenCommand(): Command {
  return new Command('codegen')
    .description(
      "Generate typed resolvers (codegen.yml), gRPC types (schema/protos), the bundled GraphiQL explorer and the README's config table into the repository.",
    )
    .option('--check', 'write nothing; fail when committed generated code differs from what would be generated')
    .option('--types-only', 'only the typed resolvers and gRPC types, what a subgraph added or removed changes (not the explorer bundle or the config table)')
    .action(async (options: { check?: boolean; typesOnly?: boolean }) => {
      // Loaded here: graphql-codegen is a development dependency, absent from production installs.
      const { generateProtoTypes, listFiles, protoTypesDir } = await import('../codegen/generateProtoTypes.js');
      const { generateResolverTypes } = await import('../codegen/generateResolverTypes.js');
      const { bundleExplorer } = await import('../../gateway/explorer/bundleExplorer.js');
      const { generateConfigTable } = await import('../codegen/generateConfigTable.js');
      // The explorer's bundle (GraphiQL and React, minified: ~2 s of esbuild) depends on none of
      // what `portico subgraph add` and `remove` change, so they ask for the types only.
      const others = options.typesOnly ? [] : [...(await bundleExplorer()), ...generateConfigTable()];
      const expected = new Map([...(await generateResolverTypes()), ...generateProtoTypes(), ...others]);
      // A generated file whose source is gone is stale too.
      const existing = existsSync(protoTypesDir) ? listFiles(protoTypesDir) : [];
      const orphans = existing.filter((file) => !expected.has(file));
      const changed = [...expected].filter(([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content);

      if (options.check) {
        const stale = [...changed.map(([file]) => file), ...orphans].map((file) => relative(process.cwd(), file));
        if (stale.length > 0) throw new Error(`generated code is stale:\n  ${stale.join('\n  ')}\nRun \`npm run codegen\` and commit the result.`);
        process.stdout.write(`Generated code is up to date (${expected.size} files).\n`);
        return;
      }
      for (const file of orphans) {
        rmSync(file);
        removeEmptyFolders(dirname(file), protoTypesDir);
      }
      for (const [file, content] of changed) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      process.stdout.write(`Generated ${expected.size} files (${changed.length} changed, ${orphans.length} removed).\n`);
    });
}

// A removed proto's package folders (`acme/weather/v1/`) go with its last generated file.
function removeEmptyFolders(folder: string, stopAt: string): void {
  for (let at = folder; at.startsWith(`${stopAt}/`) && readdirSync(at).length === 0; at = dirname(at)) rmdirSync(at);
}
