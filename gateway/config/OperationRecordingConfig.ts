import { Type, type StaticDecode } from 'typebox';
import { positive, section } from './configOptions.js';

/**
 * The operations the gateway has executed, recorded for `portico check` and `portico usage`
 * (which client still sends what): bounded, and written off the request's critical path.
 */
export const operationRecordingConfigSchema = section({
  enabled: Type.Boolean({
    default: true,
    description:
      'Record each executed operation (document text with its string and number literals blanked, and its hash; operation name, client name and version, last seen, count), served to `portico check` and `portico usage` at `/operations` on the internal listener (see "Checking a change before deploying it").',
  }),
  store: Type.Enum(['memory', 'redis'], {
    default: 'memory',
    description: '`memory` (this process) or `redis` (every replica, on `redis.url`, under `<redis.keyPrefix>{operations}:*`).',
  }),
  maxOperations: positive(1000, {
    description:
      'Most distinct operations (document, name, client name and version) kept. Past it the least used go first (the fewest requests, then the least recently seen), so a flood of one-shot documents pushes out its own kind before operations clients run repeatedly.',
  }),
  maxClientsPerOperation: positive(20, {
    description:
      'Most client name and version pairs recorded per operation (the client chooses them freely); requests from further ones are counted in one `(other clients)` record of that operation, so one document sent under many names cannot push other operations out.',
  }),
  maxDocumentBytes: positive(16_384, { description: 'Longest document text kept with an operation; a longer one is recorded without its text.' }),
  ttlSeconds: positive(604_800, {
    defaultNote: 'a week',
    description: 'With `store: redis`: the recorded operations expire this long after the last one was written.',
  }),
  flushIntervalMs: positive(2000, { description: 'With `store: redis`: how often the operations seen meanwhile are written, in one batch.' }),
});

export type OperationRecordingConfig = StaticDecode<typeof operationRecordingConfigSchema>;
