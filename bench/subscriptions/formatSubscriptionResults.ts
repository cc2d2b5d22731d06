import type { SubscriptionResults, SubscriptionRun } from './SubscriptionResults.js';

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const percent = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value * 100)} %`);
const kib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${integer(bytes / 1024)} KiB`);

/** The scenario's section of `bench/results/*.md`: one row per gateway and number of subscribers. */
export function formatSubscriptionResults(results: SubscriptionResults): string {
  const lines = [
    '## Subscriptions',
    '',
    `Every subscriber is one graphql-transport-ws connection with \`${results.subscription}\`; ` +
      `${results.eventsPerSecond} reviews written per second for ${results.durationSeconds} s, directly at the reviews subgraph. ` +
      'Latency is from sending the mutation to a subscriber receiving the event; lost = sent × subscribers − delivered.',
    '',
    '| Gateway | Subscribers | Delivered events/s | p50 | p99 | Lost | CPU (events) | CPU (idle) | RSS per 1,000 idle subscriptions | the same, second half only |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.runs.map(rowOf),
  ];
  return `${lines.join('\n')}\n`;
}

/** One line of the console summary. */
export function subscriptionSummaryLine(run: SubscriptionRun): string {
  if (run.outcome !== 'ok') return `${run.name}, ${integer(run.subscribers)} subscribers: FAILED: ${run.problem ?? ''}`;
  const latency = run.latencyMs ? `p50 ${ms(run.latencyMs.p50)} ms, p99 ${ms(run.latencyMs.p99)} ms` : 'no latency';
  return (
    `${run.name}, ${integer(run.subscribers)} subscribers: ${integer(run.deliveredPerSecond ?? 0)} events/s delivered, ${latency}, ` +
    `${integer(run.eventsLost ?? 0)} lost${run.writesFailed ? ` (of ${integer(run.eventsSent ?? 0)} events: ${run.writesFailed} writes failed)` : ''}, CPU ${percent(run.gatewayCpu)}, ${kib(run.rssPerThousandIdleBytes)} RSS per 1,000 idle ` +
    `(${kib(run.rssPerThousandIdleMarginalBytes)} over the second half)`
  );
}

function rowOf(run: SubscriptionRun): string {
  if (run.outcome !== 'ok') return `| ${run.name} | ${integer(run.subscribers)} | failed: ${run.problem ?? ''} | | | | | | | |`;
  const cells = [
    run.name,
    integer(run.subscribers),
    integer(run.deliveredPerSecond ?? 0),
    run.latencyMs ? `${ms(run.latencyMs.p50)} ms` : 'n/a',
    run.latencyMs ? `${ms(run.latencyMs.p99)} ms` : 'n/a',
    integer(run.eventsLost ?? 0),
    percent(run.gatewayCpu),
    percent(run.idleCpu),
    kib(run.rssPerThousandIdleBytes),
    kib(run.rssPerThousandIdleMarginalBytes),
  ];
  return `| ${cells.join(' | ')} |`;
}
