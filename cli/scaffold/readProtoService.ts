import { basename, dirname, resolve } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { protoLoaderOptions } from '../../common/grpc/loadProto.js';
import { describeProtoError } from './describeProtoError.js';

/** One field of a message, as proto-loader describes it (camelCase name, like the generated types). */
export interface ProtoField {
  name: string;
  /** `TYPE_STRING`, `TYPE_MESSAGE`, … */
  type: string;
  /** The message or enum name, for TYPE_MESSAGE and TYPE_ENUM. */
  typeName: string;
  repeated: boolean;
}

export interface ProtoMethod {
  name: string;
  requestType: string;
  responseType: string;
}

/** What the scaffold reads from a proto: one service, and the package's top-level messages and enums. */
export interface ProtoService {
  /** The file's name, as it will sit in schema/protos/. */
  file: string;
  /** `acme.weather.v1`, or '' without a package statement. */
  packageName: string;
  service: string;
  /** Unary methods only: streams have no GraphQL query shape. */
  methods: ProtoMethod[];
  messages: Map<string, ProtoField[]>;
  enums: Map<string, string[]>;
}

interface MessageDescriptor {
  field: Array<{ name: string; type: string; typeName: string; label: string }>;
}
interface EnumDescriptor {
  value: Array<{ name: string }>;
}
interface MethodDescriptor {
  requestStream: boolean;
  responseStream: boolean;
  requestType: { type: { name: string } };
  responseType: { type: { name: string } };
}

/**
 * Loads `file` with the options the generated types use and picks the service: `service` when
 * given, else the only one. Throws a one-line refusal when the proto does not parse or the
 * service is missing or ambiguous.
 */
export function readProtoService(file: string, service: string | undefined): ProtoService {
  let definition: protoLoader.PackageDefinition;
  try {
    // Loaded by its name from its own folder, as it will be from schema/protos/ once copied there.
    definition = protoLoader.loadSync(basename(file), { ...protoLoaderOptions, includeDirs: [dirname(resolve(file))] });
  } catch (error) {
    throw new Error(`${file} does not parse: ${describeProtoError(error)}`);
  }
  const services = Object.entries(definition).filter(([, value]) => !('format' in value) && !('fileDescriptorProtos' in value));
  const names = services.map(([fullName]) => fullName);
  if (names.length === 0) throw new Error(`${file} defines no service.`);
  const chosen =
    service === undefined ? (names.length === 1 ? names[0] : undefined) : names.find((fullName) => fullName === service || fullName.endsWith(`.${service}`));
  if (chosen === undefined) {
    const listed = names.map((fullName) => fullName.split('.').pop()).join(', ');
    throw new Error(
      service === undefined
        ? `${file} defines several services (${listed}); choose one with --service.`
        : `${file} has no service "${service}" (it defines ${listed}).`,
    );
  }
  const packageName = chosen.split('.').slice(0, -1).join('.');
  const prefix = packageName === '' ? '' : `${packageName}.`;

  const messages = new Map<string, ProtoField[]>();
  const enums = new Map<string, string[]>();
  for (const [fullName, value] of Object.entries(definition)) {
    const local = fullName.slice(prefix.length);
    if (!fullName.startsWith(prefix) || local.includes('.')) continue;
    if (!('format' in value)) continue;
    if (value.format === 'Protocol Buffer 3 EnumDescriptorProto') {
      enums.set(
        local,
        (value.type as EnumDescriptor).value.map((item) => item.name),
      );
    } else if (value.format === 'Protocol Buffer 3 DescriptorProto') {
      messages.set(
        local,
        (value.type as MessageDescriptor).field.map((field) => ({
          name: field.name,
          type: field.type,
          typeName: field.typeName,
          repeated: field.label === 'LABEL_REPEATED',
        })),
      );
    }
  }
  const methods = Object.entries(definition[chosen] as unknown as Record<string, MethodDescriptor>)
    .filter(([, method]) => !method.requestStream && !method.responseStream)
    .map(([name, method]) => ({ name, requestType: method.requestType.type.name, responseType: method.responseType.type.name }));
  return { file: basename(file), packageName, service: chosen.split('.').pop()!, methods, messages, enums };
}
