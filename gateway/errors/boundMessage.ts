/** The most of one message a log line or the terminal is given. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * A message from elsewhere as Portico logs or prints it: at most `MAX_MESSAGE_LENGTH` characters,
 * saying so when cut. graphql-js quotes the whole token it stops at (`Unexpected Name "aaaa…"`):
 * a supergraph of 100 MB of `a` made one log line of 100 MB, for every collector to choke on.
 */
export function boundMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  // Not between the two halves of a surrogate pair, which would leave one half alone.
  const end = /[\ud800-\udbff]/.test(message[MAX_MESSAGE_LENGTH - 1] ?? '') ? MAX_MESSAGE_LENGTH - 1 : MAX_MESSAGE_LENGTH;
  return `${message.slice(0, end)}… (cut: ${message.length} characters in all)`;
}
