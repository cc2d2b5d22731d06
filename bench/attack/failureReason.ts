/** Why an answer was not the right one: its status and first error code, else `wrong answer`. */
export function failureReason(status: number, body: Buffer): string {
  let code: unknown;
  try {
    code = (JSON.parse(body.toString('utf8')) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors?.[0]?.extensions?.code;
  } catch {
    code = undefined;
  }
  const named = typeof code === 'string' ? ` ${code.slice(0, 40)}` : '';
  return status === 200 && !named ? 'wrong answer' : `HTTP ${status}${named}`;
}
