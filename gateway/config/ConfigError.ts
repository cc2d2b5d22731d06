/**
 * Every problem found in the gateway's configuration, thrown once so that an operator fixes
 * them all in one go. `message` lists them one per line, each naming the key.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Invalid gateway configuration: ${problems[0]}`
        : `Invalid gateway configuration (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}
