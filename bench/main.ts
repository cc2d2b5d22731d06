// `npm run bench`: see "Benchmark" in the README. Prints a progress line while it runs and the
// results table at the end; writes bench/results/latest.{json,md} (quick.* with --quick).
import { CommanderError } from 'commander';
import { parseBenchOptions } from './parseBenchOptions.js';
import { formatResultsMarkdown } from './report/formatResultsMarkdown.js';
import { runBench } from './runBench.js';

try {
  const options = parseBenchOptions(process.argv.slice(2));
  const results = await runBench(options, (line) => console.log(line));
  console.log(`\n${formatResultsMarkdown(results)}`);
  console.log(`written: ${options.outDir}/${options.name}.json and ${options.name}.md`);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
