import path from 'node:path';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { completeConfig } from '../../../gateway/config/completeConfig.js';
import { asConfigSchemaNode, byMode, derivedDefault, fromOption, nullable, section } from '../../../gateway/config/configOptions.js';

// A schema shaped like the gateway's, small enough to read: every kind of default it uses.
const schema = asConfigSchemaNode(
  section({
    mode: Type.Enum(['development', 'production'], {
      derived: derivedDefault('from NODE_ENV', ({ env }) => (env.NODE_ENV === 'production' ? 'production' : 'development')),
    }),
    verbose: Type.Boolean({ derived: byMode(true, false) }),
    server: section({
      port: Type.Integer({ default: 4000 }),
      tls: nullable(section({ certFile: Type.String({ filePath: true }) })),
      workers: Type.Decode(Type.Union([Type.Integer(), Type.Literal('auto')], { default: 1 }), (value) => (value === 'auto' ? 8 : value)),
    }),
    upstream: section({ timeoutMs: Type.Integer({ default: 30 }), hosts: Type.Array(Type.String(), { default: ['a'] }) }),
    subgraphs: Type.Record(
      Type.String(),
      section({ timeoutMs: Type.Integer({ derived: fromOption('upstream.timeoutMs') }), url: Type.Optional(Type.String()) }),
      { default: {} },
    ),
  }),
);
const options = { env: {}, cwd: '/srv/gateway' };

describe('completeConfig', () => {
  it('fills every default of an empty file, derived ones from the options before them', () => {
    expect(completeConfig(schema, {}, options)).toEqual({
      mode: 'development',
      verbose: true,
      server: { port: 4000, tls: null, workers: 1 },
      upstream: { timeoutMs: 30, hosts: ['a'] },
      subgraphs: {},
    });
    expect(completeConfig(schema, {}, { ...options, env: { NODE_ENV: 'production' } })).toMatchObject({ mode: 'production', verbose: false });
    expect(completeConfig(schema, { mode: 'production' }, options)).toMatchObject({ mode: 'production', verbose: false });
  });

  it('keeps what the file gives, and completes each entry of a map from the options it names', () => {
    const config = completeConfig(schema, { upstream: { timeoutMs: 5 }, subgraphs: { a: {}, b: { timeoutMs: 9, url: 'http://b' } } }, options);
    expect(config).toMatchObject({ upstream: { timeoutMs: 5, hosts: ['a'] }, subgraphs: { a: { timeoutMs: 5 }, b: { timeoutMs: 9, url: 'http://b' } } });
  });

  it('makes file paths absolute and turns file values into loaded ones', () => {
    const config = completeConfig(schema, { server: { tls: { certFile: 'cert.pem' }, workers: 'auto' } }, options);
    expect(config).toMatchObject({ server: { tls: { certFile: path.resolve('/srv/gateway', 'cert.pem') }, workers: 8 } });
  });

  it('gives each config its own copy of a default, and keeps a map key named __proto__ a key', () => {
    const first = completeConfig(schema, {}, options) as { upstream: { hosts: string[] } };
    first.upstream.hosts.push('b');
    expect(completeConfig(schema, {}, options)).toMatchObject({ upstream: { hosts: ['a'] } });
    const subgraphs = Object.fromEntries([['__proto__', {}]]);
    const config = completeConfig(schema, { subgraphs }, options) as { subgraphs: Record<string, unknown> };
    expect(Object.hasOwn(config.subgraphs, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(config.subgraphs)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(config.subgraphs, '__proto__')?.value).toEqual({ timeoutMs: 30 });
  });
});
