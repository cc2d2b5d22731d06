export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
// Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case (prom-client
// writes "Nan").
const SAMPLE = new RegExp(`^(${METRIC_NAME})(?:\\{(.*)\\})? (-?[0-9.eE+-]+|nan|[+-]?inf)(?: -?\\d+)?$`, 'i');
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;

/**
 * Parses the Prometheus text exposition format (0.0.4) strictly enough that a malformed line
 * fails the test: `# HELP` / `# TYPE` comments, then `name{label="value",…} number` samples.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Set<string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) typed.add(type[1]!);
      else if (!/^# HELP \S+ /.test(line)) throw new Error(`line ${index + 1} is not a HELP or TYPE comment: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not a sample: ${line}`);
    const labels: Record<string, string> = {};
    if (match[2]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      for (let label = LABEL.exec(match[2]); label; label = LABEL.exec(match[2])) {
        labels[label[1]!] = label[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        consumed = LABEL.lastIndex;
      }
      if (consumed !== match[2].length) throw new Error(`line ${index + 1} has malformed labels: ${line}`);
    }
    const family = match[1]!.replace(/_(bucket|sum|count)$/, '');
    if (!typed.has(match[1]!) && !typed.has(family)) throw new Error(`line ${index + 1}: ${match[1]} has no TYPE`);
    samples.push({ name: match[1]!, labels, value: parseValue(match[3]!) });
  }
  return samples;
}

function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

/** The sum of the samples with this name whose labels include `labels`; 0 when none. */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  return found.reduce((total, sample) => total + sample.value, 0);
}
