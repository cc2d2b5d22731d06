import { describe, expect, it } from 'vitest';
import { createCallCounter, otherResources } from '../../backends/shared/createCallCounter.js';

describe('createCallCounter', () => {
  it('counts operations, and resources by name while they are few and short', () => {
    const counter = createCallCounter({ maxResources: 3, maxResourceLength: 10 });
    counter.record('GetProducts');
    for (const resource of ['GET /a', 'GET /b', 'GET /a', 'GET /c', 'GET /d', 'GET /a']) counter.record('GET /:id', resource);
    expect(counter.counts()).toEqual({ GetProducts: 1, 'GET /:id': 6 });
    // /d came after three names were known: it counts under the bucket, and the known go on by name.
    expect(counter.resources()).toEqual({ 'GET /a': 3, 'GET /b': 1, 'GET /c': 1, [otherResources]: 1 });
  });

  it('never keeps a resource longer than maxResourceLength by name, however few are known', () => {
    const counter = createCallCounter({ maxResources: 3, maxResourceLength: 10 });
    counter.record('GET /:id', `GET /${'x'.repeat(6)}`);
    counter.record('GET /:id', 'GET /y');
    expect(counter.resources()).toEqual({ [otherResources]: 1, 'GET /y': 1 });
  });

  it('holds a bounded number of names whatever it is asked to count, and forgets them on reset', () => {
    const counter = createCallCounter();
    for (let index = 0; index < 5000; index += 1) counter.record('GET /users', `GET /users?ids=${index}-${'x'.repeat(250)}`);
    counter.record('GET /users', `GET /users?ids=${'y'.repeat(5000)}`);
    const resources = counter.resources();
    expect(Object.keys(resources)).toHaveLength(1000 + 1);
    expect(resources[otherResources]).toBe(5001 - 1000);
    counter.reset();
    expect([counter.counts(), counter.resources()]).toEqual([{}, {}]);
  });
});
