import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext.js';
import { createErrorRecorder } from './createErrorRecorder.js';
import type { Feature, FinishedRequest, GraphQLExchange, OperationExecutor, Outcome, ProducedError } from './Feature.js';

export interface Pipeline {
  /** Every feature's `arrive` hook, in order. */
  arrive: NonNullable<Feature['arrive']>;
  /** Runs the features' `handle` steps in order, then `last` (the call to Apollo Server). */
  handle(exchange: GraphQLExchange, last: () => Promise<Outcome>): Promise<Outcome>;
  /** The features' Apollo Server plugins, in order, after the one that records each request's errors. */
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** `inner` wrapped in the features' `execute` hooks, the first feature's outermost. */
  execute(inner: OperationExecutor): OperationExecutor;
  /** Starts recording the errors of the request run with `context`; the list fills as they happen. */
  recordErrors(context: GatewayContext): readonly ProducedError[];
  /** Every feature's `finish` hook, in order; a hook that throws stops the rest (the transport logs it). */
  finish(request: FinishedRequest): void;
  /** Every feature's `drain`, in order, as the drain starts. */
  drain(): void;
  /** Every feature's `close`, in order. */
  close(): Promise<void>;
}

/** The features, in request-path order, as the hooks each layer runs. */
export function createPipeline(features: readonly Feature[]): Pipeline {
  const arrivals = features.flatMap((feature) => (feature.arrive ? [feature.arrive.bind(feature)] : []));
  const steps = features.flatMap((feature) => (feature.handle ? [feature.handle.bind(feature)] : []));
  const recorder = createErrorRecorder();
  return {
    async arrive(req, res) {
      for (const arrive of arrivals) await arrive(req, res);
    },
    handle(exchange, last) {
      const run = (index: number): Promise<Outcome> => {
        const step = steps[index];
        return step ? step(exchange, () => run(index + 1)) : last();
      };
      return run(0);
    },
    plugins: [recorder.plugin, ...features.flatMap((feature) => (feature.plugin ? [feature.plugin] : []))],
    execute: (inner) => features.reduceRight((next, feature) => (feature.execute ? feature.execute(next) : next), inner),
    recordErrors: recorder.record,
    finish(request) {
      for (const feature of features) feature.finish?.(request);
    },
    drain() {
      for (const feature of features) feature.drain?.();
    },
    async close() {
      for (const feature of features) await feature.close?.();
    },
  };
}
