import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planGrpcSchema } from '../../cli/scaffold/planGrpcSchema.js';
import { readProtoService } from '../../cli/scaffold/readProtoService.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-protos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(body: string) {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.proto`);
  writeFileSync(file, `syntax = "proto3";\npackage t.v1;\n${body}`);
  return planGrpcSchema(readProtoService(file, undefined));
}

describe('planGrpcSchema', () => {
  it('turns a repeated-key batch read into an entity with a lookup, and other reads into query fields', () => {
    const result = plan(`
      service S {
        rpc BatchGetItems(Keys) returns (Items);
        rpc ListItems(Page) returns (Items);
        rpc DeleteItem(Keys) returns (Items);
        rpc WatchItems(Page) returns (stream Items);
      }
      message Keys { repeated int32 item_ids = 1; }
      message Page { int32 first = 1; uint64 after = 2; Keys nested = 3; }
      message Items { repeated Item items = 1; }
      message Item { int32 item_id = 1; bytes blob = 2; map<string, string> labels = 3; Inner inner = 4; message Inner { bool x = 1; } }
    `);
    expect(result.lookups).toEqual([expect.objectContaining({ method: 'BatchGetItems', entity: 'Item', keyField: 'itemId', keyType: 'Int', requestField: 'itemIds', responseField: 'items', queryField: 'item' })]);
    // Message arguments have no GraphQL input type here; 64-bit integers travel as strings.
    expect(result.queries).toEqual([{ method: 'ListItems', queryField: 'listItems', args: [{ name: 'first', type: 'Int!' }, { name: 'after', type: 'String!' }], returns: 'Items' }]);
    // bytes, maps and nested messages are left out; the key makes Item an entity.
    expect(result.objects.find((object) => object.name === 'Item')).toEqual({ name: 'Item', fields: [{ name: 'itemId', type: 'Int!' }], key: 'itemId' });
    expect(result.skipped).toEqual(['DeleteItem']);
  });

  it('maps enums, and refuses a service with nothing to read', () => {
    const result = plan(`
      service S { rpc GetColor(Req) returns (Res); }
      enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }
      message Req { string id = 1; }
      message Res { Color color = 1; repeated Color others = 2; }
    `);
    expect(result.enums).toEqual([{ name: 'Color', values: ['COLOR_UNSPECIFIED', 'RED'] }]);
    expect(result.objects).toEqual([{ name: 'Res', fields: [{ name: 'color', type: 'Color!' }, { name: 'others', type: '[Color!]!' }] }]);
    expect(() => plan('service S { rpc SetThing(M) returns (M); }\nmessage M { string id = 1; }')).toThrow(/has no unary read method/);
  });
});
