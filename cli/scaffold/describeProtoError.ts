/**
 * What protobufjs's parse error means, said for a person: `line N: what is wrong`. Its own
 * messages name tokens (`illegal token 'null'`, which is the end of the file) and absolute paths,
 * or, at the end of a file, no line at all.
 */
export function describeProtoError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const line = /\bline (\d+)\)/.exec(message)?.[1];
  const at = line === undefined ? '' : `line ${line}: `;

  // The tokenizer ran out of text inside a definition (protobufjs reports it as the token null,
  // or fails reading it).
  if (/illegal token 'null'|Cannot read properties of null/.test(message)) {
    return `${at}the file ends inside a definition; a closing } or a ; is missing.`;
  }
  const expected = /^illegal token '([^']*)', '([^']*)' expected/.exec(message);
  if (expected) return `${at}expected "${expected[2]}" before "${expected[1]}".`;
  const illegal = /^illegal (token|id|name|string|value|number|type|option|syntax)[^']*'([^']*)'/.exec(message);
  if (illegal) {
    const wanted: Record<string, string> = {
      id: 'a field number',
      name: 'a name',
      string: 'a quoted string',
      number: 'a number',
      syntax: '"proto2" or "proto3"',
    };
    const hint = wanted[illegal[1]!];
    return `${at}unexpected "${illegal[2]}"${hint ? `, where ${hint} should be` : ''}.`;
  }
  const missingType = /^no such Type or Enum '([^']*)' in Type \.?(\S+)/.exec(message);
  if (missingType) return `message ${missingType[2]} uses the type "${missingType[1]}", which is neither defined in it nor imported.`;
  const missingImport = /^ENOENT: no such file or directory, open '([^']*)'/.exec(message);
  if (missingImport) return `it imports ${missingImport[1]}, which does not exist (imports are read from the proto's own folder).`;
  const duplicate = /^duplicate name '([^']*)'/.exec(message);
  if (duplicate) return `${at}"${duplicate[1]}" is defined twice.`;
  return `${at}${message.replace(/ \([^()]*, line \d+\)$/, '')}`;
}
