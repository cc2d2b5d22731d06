import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DocumentNode } from 'graphql';
import { startGateway, type RunningGateway } from '../../gateway/fixtures/startGateway.js';
import { startSubgraph, type RunningSubgraph, type SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { writeSupergraph } from '../../gateway/fixtures/writeSupergraph.js';
import { askBoth, type AnswerBody, type Operation, type TwoAnswers } from './askBoth.js';
import { expectSameAnswer, type SameAnswerOptions } from './expectSameAnswer.js';
import { startApolloGateway, type RunningApolloGateway } from './startApolloGateway.js';

export interface ParityOptions {
  /** Subgraphs served by something else (a stopped port, a broken server): only composed. */
  elsewhere?: readonly { name: string; url: string; typeDefs: DocumentNode }[];
  /** Portico config merged over `{ mode: 'production', introspection: true, supergraph }`. */
  porticoConfig?: Record<string, unknown>;
}

/** One federation scenario served twice: by vanilla Apollo Gateway and by Portico. */
export interface Parity {
  apollo: RunningApolloGateway;
  portico: RunningGateway;
  subgraphs: Record<string, RunningSubgraph>;
  /** Sends the operation to both gateways, Apollo first, calling `before` ahead of each. */
  ask(operation: Operation, before?: () => void): Promise<TwoAnswers>;
  /** Sends it to both, asserts they answer alike and returns the (common) answer. */
  expectSame(operation: Operation, options?: SameAnswerOptions): Promise<AnswerBody>;
  close(): Promise<void>;
}

/**
 * Starts the fixture subgraphs on free ports, composes them (as `portico compose` does) into a
 * supergraph file, and serves it with vanilla Apollo Gateway and with Portico built from a config
 * file the way `portico gateway` builds it: in production mode, as deployed, with introspection
 * on (vanilla Apollo Server allows it outside production). Production masks subgraph errors
 * that carry no deliberate code, so scenarios about subgraph errors pass `mode: 'development'`,
 * where errors reach the client as they do through vanilla Apollo Gateway.
 */
export async function startParity(fixtures: readonly SubgraphFixture[], options: ParityOptions = {}): Promise<Parity> {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-parity-'));
  const running = await Promise.all(fixtures.map((fixture) => startSubgraph(fixture)));
  const stopSubgraphs = () => Promise.all(running.map((subgraph) => subgraph.stop()));
  let apollo: RunningApolloGateway | undefined;
  let portico: RunningGateway;
  try {
    const supergraphPath = writeSupergraph(dir, [...running, ...(options.elsewhere ?? [])]);
    apollo = await startApolloGateway(readFileSync(supergraphPath, 'utf8'));
    portico = await startGateway(dir, 'portico', { mode: 'production', introspection: true, supergraph: { path: supergraphPath }, ...options.porticoConfig });
  } catch (error) {
    // A scenario that does not compose, or a config Portico refuses: close what did start.
    await apollo?.stop();
    await stopSubgraphs();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const gateways = { apollo: apollo.origin, portico: portico.origin };
  return {
    apollo,
    portico,
    subgraphs: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph])),
    ask: (operation, before) => askBoth(gateways, operation, before),
    expectSame: (operation, sameOptions) => expectSameAnswer(gateways, operation, sameOptions),
    close: async () => {
      await Promise.all([apollo.stop(), portico.stop()]);
      await stopSubgraphs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
