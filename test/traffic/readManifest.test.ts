import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../gateway/traffic/readManifest.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const dir = mkdtempSync(path.join(tmpdir(), 'portico-manifest-'));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

describe('readManifest', () => {
  const body = 'query Listed { __typename }';

  it("reads Apollo's persisted query manifest", () => {
    const file = write('apollo.json', {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: 'any-id', name: 'Listed', type: 'query', body }],
    });
    const manifest = readManifest(file);
    expect(manifest.byId.get('any-id')).toBe(body);
    expect(manifest.bodies.has(body)).toBe(true);
  });

  it("reads the client preset's persisted-documents.json, ids being the sha256 of the bodies", () => {
    const manifest = readManifest(write('preset.json', { [sha256(body)]: body }));
    expect(manifest.byId.get(sha256(body))).toBe(body);
    expect(manifest.bodies.has(body)).toBe(true);
  });

  it("reads the web client's committed manifest (what deploy/gateway.yaml trusts)", () => {
    const file = 'web/src/generated/persisted-documents.json';
    const entries = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    const manifest = readManifest(file);
    expect(manifest.byId.size).toBe(entries.length);
    expect(entries.map(([, document]) => document).join('\n')).toMatch(/mutation CreateReview/);
  });

  it('refuses a client preset id that is not the sha256 of its document, naming it', () => {
    const wrong = createHash('sha256').update('something else').digest('hex');
    expect(() => readManifest(write('wrong.json', { [wrong]: body }))).toThrow(`"${wrong}" is not the sha256 of its document`);
  });

  it('refuses anything else, saying which formats it reads', () => {
    for (const content of [{}, [], { operations: [] }, { 'not-a-hash': body }]) {
      expect(() => readManifest(write('other.json', content))).toThrow(
        /not an Apollo persisted query manifest .* nor a client preset persisted-documents.json/,
      );
    }
  });
});
