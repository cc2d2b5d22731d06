import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../cli/registerCommands.js';

// The table in the README's "The `portico` command" section, one row per command.
function commandRows(): Map<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## The `portico` command');
  expect(start, 'the README has a "The `portico` command" section').toBeGreaterThan(-1);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `portico ([a-z ]+?)(?: [[(A-Z-].*?)?` \|.*$/gm)) rows.set(match[1]!, match[0]);
  return rows;
}

// Every command that runs something (a leaf), named as the table names it: `subgraph add`.
function leafCommands(command: Command, prefix = ''): Array<{ name: string; command: Command }> {
  return command.commands.flatMap((sub) => {
    const name = prefix ? `${prefix} ${sub.name()}` : sub.name();
    return sub.commands.length > 0 ? leafCommands(sub, name) : [{ name, command: sub }];
  });
}

describe('the README command table', () => {
  const program = new Command('portico');
  registerCommands(program);
  const leaves = leafCommands(program);
  const rows = commandRows();

  it('has a row for every command, and no other', () => {
    expect([...rows.keys()].sort()).toEqual(leaves.map((leaf) => leaf.name).sort());
  });

  it('lists every option each command takes', () => {
    for (const { name, command } of leaves) {
      const row = rows.get(name) ?? '';
      const missing = command.options.map((option) => option.long!).filter((long) => !row.includes(long));
      expect(missing, `options of portico ${name} missing from its README row`).toEqual([]);
    }
  });
});
