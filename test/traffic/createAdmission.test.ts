import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../common/http/HttpError.js';
import { AUTO_LIMIT, createAdmission, type Admission } from '../../gateway/traffic/createAdmission.js';

const opened: Admission[] = [];
const open = (config: Parameters<typeof createAdmission>[0]) => {
  const admission = createAdmission(config);
  opened.push(admission);
  return admission;
};

afterEach(() => {
  for (const admission of opened.splice(0)) admission.close();
});

const signal = () => new AbortController().signal;
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('createAdmission', () => {
  it('admits waiting clients in turn: one address with many requests queued waits behind its own, not in front of others', async () => {
    const admission = open({ maxConcurrent: 1, maxQueue: 100, queueTimeoutMs: 10_000 });
    const first = await admission.acquire(signal(), 'attacker');
    const order: string[] = [];
    const releases: Array<() => void> = [];
    const wait = (client: string, name: string) =>
      void admission.acquire(signal(), client).then((release) => {
        order.push(name);
        releases.push(release);
      });
    for (const name of ['a1', 'a2', 'a3', 'a4']) wait('attacker', name);
    for (const name of ['c1', 'c2']) wait('client', name);
    first();
    for (let turn = 0; turn < 6; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    expect(order).toEqual(['a1', 'c1', 'a2', 'c2', 'a3', 'a4']);
    expect(admission.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('makes room in a full queue by refusing the newest request of the client queueing most, never its own', async () => {
    const admission = open({ maxConcurrent: 1, maxQueue: 3, queueTimeoutMs: 10_000 });
    const held = await admission.acquire(signal(), 'attacker');
    const attackers = [1, 2, 3].map(() => admission.acquire(signal(), 'attacker'));
    for (const waiting of attackers) waiting.catch(() => undefined);
    // The attacker cannot push out its own requests: its fourth is refused.
    await expect(admission.acquire(signal(), 'attacker')).rejects.toBeInstanceOf(HttpError);
    // Another client's request takes the place of the attacker's newest.
    const client = admission.acquire(signal(), 'client');
    await expect(attackers[2]).rejects.toBeInstanceOf(HttpError);
    expect(admission.state()).toMatchObject({ inFlight: 1, queued: 3 });
    held();
    (await attackers[0]!)();
    expect(await settled(client)).toBe(true);
    (await client)();
    (await attackers[1]!)();
    expect(admission.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('admits up to the limit at once, then in arrival order as slots are released', async () => {
    const admission = open({ maxConcurrent: 2, maxQueue: 10, queueTimeoutMs: 10_000 });
    const a = await admission.acquire(signal());
    const b = await admission.acquire(signal());
    const order: string[] = [];
    const c = admission.acquire(signal()).then((release) => (order.push('c'), release));
    const d = admission.acquire(signal()).then((release) => (order.push('d'), release));
    expect(admission.state()).toEqual({ limit: 2, inFlight: 2, queued: 2 });
    expect(await settled(c)).toBe(false);

    a();
    a(); // a second release of the same slot counts for nothing
    expect(await settled(c)).toBe(true);
    expect(await settled(d)).toBe(false);
    expect(admission.state()).toEqual({ limit: 2, inFlight: 2, queued: 1 });
    b();
    (await c)();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(admission.state()).toEqual({ limit: 2, inFlight: 0, queued: 0 });
  });

  it('refuses with 503 OVERLOADED and Retry-After once maxQueue requests wait', async () => {
    const admission = open({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 10_000 });
    const release = await admission.acquire(signal());
    const queued = admission.acquire(signal());
    const refusal = await admission.acquire(signal()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpError);
    expect((refusal as HttpError).status).toBe(503);
    expect((refusal as HttpError).headers).toEqual({ 'retry-after': '1' });
    expect((refusal as HttpError).toBody().errors[0].extensions.code).toBe('OVERLOADED');
    release();
    (await queued)();
  });

  it('with maxQueue 0, refuses whatever finds every slot taken', async () => {
    const admission = open({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 10_000 });
    await admission.acquire(signal());
    await expect(admission.acquire(signal())).rejects.toMatchObject({ code: 'OVERLOADED' });
  });

  it('refuses a request that waited queueTimeoutMs, and frees its place', async () => {
    vi.useFakeTimers();
    try {
      const admission = open({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 500 });
      const release = await admission.acquire(signal());
      const waiting = admission.acquire(signal()).catch((error: unknown) => error);
      vi.advanceTimersByTime(499);
      expect(admission.state().queued).toBe(1);
      vi.advanceTimersByTime(1);
      expect(await waiting).toMatchObject({ code: 'OVERLOADED', message: expect.stringContaining('waited 500 ms') });
      expect(admission.state()).toEqual({ limit: 1, inFlight: 1, queued: 0 });
      release();
      expect(admission.state().inFlight).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a waiter whose signal aborts: it is never admitted and takes no slot', async () => {
    const admission = open({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 10_000 });
    const release = await admission.acquire(signal());
    const client = new AbortController();
    const abandoned = admission.acquire(client.signal);
    const next = admission.acquire(signal());
    client.abort(new Error('client went away'));
    await expect(abandoned).rejects.toThrow('client went away');
    expect(admission.state().queued).toBe(1);
    release();
    (await next)();
    expect(admission.state()).toEqual({ limit: 1, inFlight: 0, queued: 0 });
    // Already aborted: refused at once, never queued.
    await admission.acquire(signal());
    await expect(admission.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(admission.state().queued).toBe(0);
  });

  it('under auto, lowers the limit while the event loop is kept busy', async () => {
    const admission = open({ maxConcurrent: 'auto', maxQueue: 10, queueTimeoutMs: 10_000 });
    expect(admission.state().limit).toBe(AUTO_LIMIT.initial);
    // Work that holds the event loop 30 ms at a time, well past the target delay.
    const until = Date.now() + 1500;
    await new Promise<void>((resolve) => {
      const spin = () => {
        const end = Date.now() + 30;
        while (Date.now() < end);
        if (Date.now() < until && admission.state().limit === AUTO_LIMIT.initial) setImmediate(spin);
        else resolve();
      };
      spin();
    });
    expect(admission.state().limit).toBeLessThan(AUTO_LIMIT.initial);
    expect(admission.state().limit).toBeGreaterThanOrEqual(AUTO_LIMIT.min);
  });

  it('under auto, raises the limit while requests wait and the event loop is idle', async () => {
    const admission = open({ maxConcurrent: 'auto', maxQueue: 100, queueTimeoutMs: 10_000 });
    const held = await Promise.all(Array.from({ length: AUTO_LIMIT.initial }, () => admission.acquire(signal())));
    const waiting = Array.from({ length: 10 }, () => admission.acquire(signal()));
    await vi.waitFor(() => expect(admission.state().queued).toBe(0), { timeout: 5000 });
    expect(admission.state().limit).toBeGreaterThan(AUTO_LIMIT.initial);
    for (const release of [...held, ...(await Promise.all(waiting))]) release();
    expect(admission.state().inFlight).toBe(0);
  });
});
