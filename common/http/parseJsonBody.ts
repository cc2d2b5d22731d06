/** The outcome of parsing a GraphQL request body; a failure says what was wrong. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses a POST body as JSON. An empty body is passed on as undefined so that Apollo Server
 * gives its own precise error for it.
 */
export function parseJsonBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON: ${(error as Error).message}` };
  }
}
