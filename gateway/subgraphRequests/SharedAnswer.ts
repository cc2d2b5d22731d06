import type { SubgraphResponse } from './createSubgraphClient.js';
import { copyParsedJson } from './copyParsedJson.js';
import { parseSubgraphAnswer } from './parseSubgraphAnswer.js';

/**
 * One subgraph answer that several identical requests in flight share (in-flight
 * de-duplication). The gateway merges into what it gets, so no two callers may hold the same
 * objects: the text is parsed once, every caller but the last gets a copy of the parse (a third
 * of a parse's cost), and the last the parse itself, once nobody can copy it any more. Told how
 * many callers will take it (`shareAmong`) before any does.
 */
export class SharedAnswer {
  private parsed: SubgraphResponse | undefined;
  private left = 1;

  constructor(
    private readonly raw: string,
    private readonly subgraph: string,
  ) {}

  /** The number of callers that will each `take` it once. */
  shareAmong(callers: number): void {
    this.left = callers;
  }

  /** This caller's answer, its own to change; a body that is no GraphQL answer throws its coded error, to each caller. */
  take(): SubgraphResponse {
    this.parsed ??= parseSubgraphAnswer(this.raw, this.subgraph);
    this.left -= 1;
    return this.left === 0 ? this.parsed : copyParsedJson(this.parsed);
  }
}
