import type { Command } from 'commander';

/**
 * What every `portico` command does on a mistake: name the nearest option or command, and
 * point at `--help`. Commander copies these settings only to subcommands made with
 * `.command()`, not to those built apart and added with `.addCommand()`, so they are set on
 * each one here, subcommands of subcommands included.
 */
export function applyCommandConventions(command: Command): void {
  command.showSuggestionAfterError(true).showHelpAfterError(`(run ${commandPath(command)} --help for usage)`);
  for (const sub of command.commands) applyCommandConventions(sub);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
