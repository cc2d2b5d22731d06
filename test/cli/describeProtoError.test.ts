import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProtoService } from '../../cli/scaffold/readProtoService.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-broken-protos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The refusal for a proto with `text`, as `portico subgraph add --grpc` prints it.
function refusal(text: string): string {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.proto`);
  writeFileSync(file, text);
  try {
    readProtoService(file, undefined);
  } catch (error) {
    return (error as Error).message.replace(file, 'FILE');
  }
  throw new Error('the proto was accepted');
}

describe('a proto that does not parse', () => {
  it('is refused with the file, the line and what is wrong, in words', () => {
    expect(refusal('syntax = "proto3";\nmessage')).toBe('FILE does not parse: the file ends inside a definition; a closing } or a ; is missing.');
    expect(refusal('syntax = "proto3";\nmessage A {\n  string id = 1;\n')).toBe(
      'FILE does not parse: the file ends inside a definition; a closing } or a ; is missing.',
    );
    expect(refusal('syntax = "proto3"\nmessage A { string id = 1; }\n')).toBe('FILE does not parse: line 2: expected ";" before "message".');
    expect(refusal('syntax = "proto3";\nmessage A {\n  string id = ;\n}\n')).toBe(
      'FILE does not parse: line 3: unexpected ";", where a field number should be.',
    );
    expect(refusal('hello\n')).toBe('FILE does not parse: line 1: unexpected "hello".');
    expect(refusal('syntax = "proto3";\nmessage A { strin id = 1; }\nservice S { rpc GetA(A) returns (A); }\n')).toBe(
      'FILE does not parse: message A uses the type "strin", which is neither defined in it nor imported.',
    );
  });

  it("never shows protobufjs's token names or its absolute paths", () => {
    for (const text of ['syntax = "proto3";\nmessage', 'syntax = "proto3";\nmessage A { string id = 1 }\n', 'package ;\n']) {
      const message = refusal(text);
      expect(message, text).toMatch(/^FILE does not parse: /);
      expect(message, text).not.toMatch(/illegal|null|Cannot read|\(.*\.proto, line/);
    }
  });
});
