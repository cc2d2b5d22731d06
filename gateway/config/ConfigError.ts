import { boundMessage } from '../errors/boundMessage.js';

/**
 * Every problem found in the gateway's configuration, thrown once so that an operator fixes
 * them all in one go. `message` lists them one per line, each naming the key, and each cut
 * short when long (one may quote a file, a supergraph's names or a library's message).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const bounded = problems.map(boundMessage);
    super(
      bounded.length === 1
        ? `Invalid gateway configuration: ${bounded[0]}`
        : `Invalid gateway configuration (${bounded.length} problems):\n${bounded.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.problems = bounded;
  }
}
