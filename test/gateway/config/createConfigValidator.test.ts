import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { asConfigSchemaNode, derivedDefault, nullable, section } from '../../../gateway/config/configOptions.js';
import { createConfigValidator } from '../../../gateway/config/createConfigValidator.js';

const validate = createConfigValidator(
  asConfigSchemaNode(
    section({
      port: Type.Integer({ minimum: 0, default: 4000, description: 'The port.', defaultNote: 'ours' }),
      host: Type.String({ minLength: 1, derived: derivedDefault('the host', () => 'localhost') }),
      tls: nullable(section({ certFile: Type.String({ filePath: true }), keyFile: Type.String() })),
      workers: Type.Union([Type.Integer({ minimum: 1, accepts: 'a number or "auto"' }), Type.Literal('auto', { accepts: 'a number or "auto"' })], {
        default: 1,
      }),
    }),
  ),
);

describe('createConfigValidator', () => {
  it('accepts a file that leaves out every key with a default or a derived default', () => {
    expect(validate({})).toEqual([]);
    expect(validate({ port: 80, host: 'a', tls: null, workers: 'auto' })).toEqual([]);
  });

  it('keeps the keys without a default required, and names the bad key, the accepted values and the value', () => {
    expect(validate({ tls: { certFile: 'a.pem' } })).toEqual(['tls.keyFile: is required (give certFile and keyFile together, or neither)']);
    expect(validate({ port: -1 })).toEqual(['port: must be an integer of at least 0 (got -1)']);
    expect(validate({ workers: 0 })).toEqual(['workers: must be a number or "auto" (got 0)']);
    expect(validate({ prot: 1 })).toEqual(['prot: unknown key (accepted here: port, host, tls, workers)']);
  });
});
