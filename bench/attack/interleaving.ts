// How many of the attacker's requests the gateway answered while each legitimate request was
// in flight, from the files a run with BENCH_ATTACK_TRACE=DIR wrote (see traceAnswers):
//   node --import tsx bench/attack/interleaving.ts DIR
// A count, not a time: when other processes take the gateway's CPU, the client's requests and
// the attacker's slow down together, so it says how far one address's requests are put ahead of
// another's even on a busy machine, where latencies mean little.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: interleaving.ts DIR');
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
const read = <T>(name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
const answers = files
  .filter((name) => name.startsWith('attacker-'))
  .flatMap((name) => read<number[]>(name))
  .sort((a, b) => a - b);

/** Answers at or before `time`. */
const upTo = (time: number) => {
  let low = 0;
  let high = answers.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (answers[middle]! <= time) low = middle + 1;
    else high = middle;
  }
  return low;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

console.log('| Phase (file) | Client requests | Attacker answers during one, mean | p50 | p99 |');
console.log('|---|---:|---:|---:|---:|');
for (const name of files.filter((candidate) => candidate.startsWith('client-')).sort((a, b) => a.split('-').at(-1)!.localeCompare(b.split('-').at(-1)!))) {
  const counts = read<[number, number][]>(name)
    .map(([sent, answered]) => upTo(answered) - upTo(sent))
    .sort((a, b) => a - b);
  const mean = counts.reduce((sum, count) => sum + count, 0) / Math.max(1, counts.length);
  console.log(`| ${name} | ${counts.length} | ${mean.toFixed(1)} | ${percentile(counts, 50)} | ${percentile(counts, 99)} |`);
}
