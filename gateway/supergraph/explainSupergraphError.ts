/**
 * Why Apollo Gateway refused a supergraph, in words that name its source and say what to do:
 * its own messages ("Syntax Error: …", "Invalid supergraph: must be a core schema") say neither.
 */
export function explainSupergraphError(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Syntax Error')) return `The supergraph ${source} is not valid GraphQL SDL: ${message}`;
  if (message.startsWith('Invalid supergraph')) {
    return `The supergraph ${source} names no subgraphs (${message}); is it the output of "portico compose"?`;
  }
  return message;
}
