import { lowerFirst, singular } from './subgraphNames.js';
import type { ProtoField, ProtoMethod, ProtoService } from './readProtoService.js';

export interface GraphqlField {
  name: string;
  /** As written in SDL: `String!`, `[Forecast!]!`, `Place`. */
  type: string;
}

/** A message that becomes an object type; `key` makes it an entity. */
export interface ObjectPlan {
  name: string;
  fields: GraphqlField[];
  key?: string;
}

/** A batch read (repeated keys in, repeated items out) served one key at a time through a loader. */
export interface LookupPlan {
  method: string;
  /** The entity the method returns a list of. */
  entity: string;
  /** `forecast(cityId: String!): Forecast` */
  queryField: string;
  keyField: string;
  keyType: 'String' | 'Int' | 'Float';
  /** The request's repeated key field: `cityIds`. */
  requestField: string;
  /** The response's repeated item field: `forecasts`. */
  responseField: string;
  /** The loader's name in the context: `forecastLoader`. */
  loader: string;
}

/** Any other read: one query field whose arguments are the request's scalar fields. */
export interface QueryPlan {
  method: string;
  queryField: string;
  args: GraphqlField[];
  returns: string;
}

export interface GrpcSchemaPlan {
  proto: ProtoService;
  objects: ObjectPlan[];
  enums: Array<{ name: string; values: string[] }>;
  lookups: LookupPlan[];
  queries: QueryPlan[];
  /** Unary methods that are not reads: left for a person to expose as mutations. */
  skipped: string[];
}

// A method whose name says it only reads; everything else could change data and is no query.
const readMethod = /^(Get|List|Find|Search|Lookup|Read|Fetch|Query|Describe|BatchGet)/;

// longs: String in the loader options, so 64-bit integers arrive as strings; uint32 can pass
// GraphQL's 32-bit signed Int.
const scalars: Record<string, GraphqlField['type']> = {
  TYPE_STRING: 'String',
  TYPE_BOOL: 'Boolean',
  TYPE_DOUBLE: 'Float',
  TYPE_FLOAT: 'Float',
  TYPE_INT32: 'Int',
  TYPE_SINT32: 'Int',
  TYPE_SFIXED32: 'Int',
  TYPE_UINT32: 'Float',
  TYPE_FIXED32: 'Float',
  TYPE_INT64: 'String',
  TYPE_UINT64: 'String',
  TYPE_SINT64: 'String',
  TYPE_FIXED64: 'String',
  TYPE_SFIXED64: 'String',
};

/**
 * The starter GraphQL shape of a gRPC service: a query field per unary read method, a lookup
 * through a batching loader where the request is a list of keys, and the messages and enums
 * those fields return. Fields the scaffold cannot map (bytes, maps, nested or imported types)
 * are left out.
 */
export function planGrpcSchema(proto: ProtoService): GrpcSchemaPlan {
  const reads = proto.methods.filter((method) => readMethod.test(method.name));
  if (reads.length === 0) {
    throw new Error(`service ${proto.service} in ${proto.file} has no unary read method (Get…, List…, Find…, Search…): nothing to query.`);
  }
  const lookups: LookupPlan[] = [];
  const queries: QueryPlan[] = [];
  const plain: Array<{ method: ProtoMethod; args: GraphqlField[] }> = [];
  for (const method of reads) {
    const lookup = lookupOf(proto, method.name, method.requestType, method.responseType);
    if (lookup && !lookups.some((other) => other.entity === lookup.entity)) lookups.push(lookup);
    else if (hasFields(proto, method.responseType, new Set())) {
      const args = (proto.messages.get(method.requestType) ?? []).flatMap((field) => {
        const type = scalars[field.type];
        return type ? [{ name: field.name, type: field.repeated ? `[${type}!]!` : `${type}!` }] : [];
      });
      plain.push({ method, args });
    }
  }
  // Named after the lookups, so that a plain read never takes a lookup's name.
  const taken = new Set(lookups.map((lookup) => lookup.queryField));
  for (const { method, args } of plain) {
    const queryField = queryFieldName(method.name, taken);
    taken.add(queryField);
    queries.push({ method: method.name, queryField, args, returns: method.responseType });
  }
  if (lookups.length === 0 && queries.length === 0)
    throw new Error(`service ${proto.service} in ${proto.file} has no read method that returns fields GraphQL can show.`);

  const objects = new Map<string, ObjectPlan>();
  const enums = new Set<string>();
  const visit = (message: string) => {
    if (objects.has(message)) return;
    const plan: ObjectPlan = { name: message, fields: [] };
    objects.set(message, plan);
    for (const field of proto.messages.get(message) ?? []) {
      const type = fieldType(proto, field);
      if (type === undefined) continue;
      plan.fields.push({ name: field.name, type });
      if (field.type === 'TYPE_MESSAGE') visit(field.typeName);
      if (field.type === 'TYPE_ENUM') enums.add(field.typeName);
    }
  };
  for (const lookup of lookups) visit(lookup.entity);
  for (const query of queries) visit(query.returns);
  for (const lookup of lookups) objects.get(lookup.entity)!.key = lookup.keyField;

  return {
    proto,
    objects: [...objects.values()],
    enums: [...enums].map((name) => ({ name, values: proto.enums.get(name)! })),
    lookups,
    queries,
    skipped: proto.methods.filter((method) => !readMethod.test(method.name)).map((method) => method.name),
  };
}

// Verbs that only say "read": GraphQL names a query field after what it returns (`city`, not
// `getCity`; `stations`, not `listStations`). Search, Find and Query say how, and stay.
const plainReadVerb = /^(BatchGet|Get|List|Fetch|Read|Lookup|Describe)(?=[A-Z])/;

/** `GetCity` → `city`, `BatchGetCities` → `cities`; the method's own name when that is taken. */
export function queryFieldName(method: string, taken: ReadonlySet<string>): string {
  const noun = lowerFirst(method.replace(plainReadVerb, ''));
  if (!taken.has(noun)) return noun;
  return lowerFirst(method);
}

// `GetForecasts({ repeated string cityIds })` → `{ repeated Forecast forecasts }` where Forecast
// has `cityId`: the shape DataLoader batches.
function lookupOf(proto: ProtoService, method: string, request: string, response: string): LookupPlan | undefined {
  const requestFields = proto.messages.get(request) ?? [];
  const keys = requestFields[0];
  if (requestFields.length !== 1 || !keys?.repeated || !scalars[keys.type]) return undefined;
  const keyField = singular(keys.name);
  for (const items of proto.messages.get(response) ?? []) {
    if (!items.repeated || items.type !== 'TYPE_MESSAGE') continue;
    const key = proto.messages.get(items.typeName)?.find((field) => field.name === keyField && !field.repeated && field.type === keys.type);
    if (!key) continue;
    const entity = items.typeName;
    return {
      method,
      entity,
      keyField,
      requestField: keys.name,
      responseField: items.name,
      keyType: scalars[key.type] as LookupPlan['keyType'],
      queryField: lowerFirst(entity),
      loader: `${lowerFirst(entity)}Loader`,
    };
  }
  return undefined;
}

function fieldType(proto: ProtoService, field: ProtoField): string | undefined {
  let type = scalars[field.type];
  if (field.type === 'TYPE_ENUM' && proto.enums.has(field.typeName)) type = field.typeName;
  // Map entries are nested messages, so they are left out here along with other nested types.
  if (field.type === 'TYPE_MESSAGE' && hasFields(proto, field.typeName, new Set())) {
    return field.repeated ? `[${field.typeName}!]!` : field.typeName;
  }
  if (type === undefined) return undefined;
  return field.repeated ? `[${type}!]!` : `${type}!`;
}

// An object type needs at least one field, so a message with none GraphQL can show is left out.
function hasFields(proto: ProtoService, message: string, seen: Set<string>): boolean {
  const fields = proto.messages.get(message);
  if (!fields || seen.has(message)) return false;
  seen.add(message);
  return fields.some(
    (field) =>
      scalars[field.type] !== undefined ||
      (field.type === 'TYPE_ENUM' && proto.enums.has(field.typeName)) ||
      (field.type === 'TYPE_MESSAGE' && hasFields(proto, field.typeName, seen)),
  );
}
