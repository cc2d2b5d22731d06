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
    expect(result.lookups).toEqual([
      expect.objectContaining({
        method: 'BatchGetItems',
        entity: 'Item',
        keyField: 'itemId',
        keyType: 'Int',
        requestField: 'itemIds',
        responseField: 'items',
        queryField: 'item',
      }),
    ]);
    // Message arguments have no GraphQL input type here; 64-bit integers travel as strings.
    expect(result.queries).toEqual([
      {
        method: 'ListItems',
        queryField: 'items',
        args: [
          { name: 'first', type: 'Int!' },
          { name: 'after', type: 'String!' },
        ],
        returns: 'Items',
      },
    ]);
    // bytes, maps and nested messages are left out; the key makes Item an entity.
    expect(result.objects.find((object) => object.name === 'Item')).toEqual({ name: 'Item', fields: [{ name: 'itemId', type: 'Int!' }], key: 'itemId' });
    expect(result.skipped).toEqual(['DeleteItem']);
  });

  it('names query fields as GraphQL does, after what they return: city, not getCity; cities for a batch read', () => {
    const result = plan(`
      service Cities {
        rpc GetCity(CityRequest) returns (City);
        rpc BatchGetCities(CitiesRequest) returns (CityList);
        rpc ListCities(Page) returns (CityList);
        rpc SearchCities(Page) returns (CityList);
        rpc GetWeatherStation(CityRequest) returns (City);
      }
      message CityRequest { string name = 1; }
      message CitiesRequest { repeated string names = 1; int32 limit = 2; }
      message Page { int32 first = 1; }
      message City { string name = 1; }
      message CityList { repeated City cities = 1; }
    `);
    // ListCities would be "cities" too: the second read of that name keeps the method's own.
    expect(result.queries.map((query) => [query.method, query.queryField])).toEqual([
      ['GetCity', 'city'],
      ['BatchGetCities', 'cities'],
      ['ListCities', 'listCities'],
      ['SearchCities', 'searchCities'],
      ['GetWeatherStation', 'weatherStation'],
    ]);
  });

  it('never gives a plain read the name of a lookup', () => {
    const result = plan(`
      service S { rpc GetItems(Keys) returns (Items); rpc GetItem(One) returns (Item); }
      message Keys { repeated string item_ids = 1; }
      message One { string item_id = 1; }
      message Items { repeated Item items = 1; }
      message Item { string item_id = 1; }
    `);
    expect(result.lookups.map((lookup) => lookup.queryField)).toEqual(['item']);
    expect(result.queries.map((query) => query.queryField)).toEqual(['getItem']);
  });

  it('maps enums, and refuses a service with nothing to read', () => {
    const result = plan(`
      service S { rpc GetColor(Req) returns (Res); }
      enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }
      message Req { string id = 1; }
      message Res { Color color = 1; repeated Color others = 2; }
    `);
    expect(result.enums).toEqual([{ name: 'Color', values: ['COLOR_UNSPECIFIED', 'RED'] }]);
    expect(result.objects).toEqual([
      {
        name: 'Res',
        fields: [
          { name: 'color', type: 'Color!' },
          { name: 'others', type: '[Color!]!' },
        ],
      },
    ]);
    expect(() => plan('service S { rpc SetThing(M) returns (M); }\nmessage M { string id = 1; }')).toThrow(/has no unary read method/);
  });
});
