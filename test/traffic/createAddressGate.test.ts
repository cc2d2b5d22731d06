import { describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../common/http/HttpError.js';
import { createAddressGate } from '../../gateway/traffic/createAddressGate.js';

const signal = () => new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createAddressGate', () => {
  it("lets an address have maxInFlight requests in progress, queues its next ones in arrival order, and never another address's", async () => {
    const gate = createAddressGate({ maxInFlight: 2, waitTimeoutMs: 10_000 });
    const first = await gate.enter('attacker', signal());
    const second = await gate.enter('attacker', signal());
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    for (const name of ['a3', 'a4', 'a5']) {
      void gate.enter('attacker', signal()).then((release) => {
        order.push(name);
        releases.set(name, release);
      });
    }
    // Another address is not behind the attacker's queue: it goes on at once.
    const client = await gate.enter('client', signal());
    await tick();
    expect(order).toEqual([]);
    expect(gate.state()).toEqual({ inFlight: 3, waiting: 3 });
    first();
    await tick();
    expect(order).toEqual(['a3']);
    // A release counts once, however often it is called.
    first();
    await tick();
    expect(order).toEqual(['a3']);
    second();
    releases.get('a3')!();
    await tick();
    expect(order).toEqual(['a3', 'a4', 'a5']);
    for (const name of ['a4', 'a5']) releases.get(name)!();
    client();
    expect(gate.state()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('hands a released place to the oldest waiting request at once, so a newer request arriving right after the release waits behind it', async () => {
    const gate = createAddressGate({ maxInFlight: 1, waitTimeoutMs: 10_000 });
    const held = await gate.enter('a', signal());
    let older: (() => void) | undefined;
    const waiting = gate.enter('a', signal()).then((release) => {
      older = release;
    });
    held();
    // Taken by the older request in the release itself, before any other code runs.
    expect(gate.state()).toEqual({ inFlight: 1, waiting: 0 });
    let newer: (() => void) | undefined;
    const arriving = gate.enter('a', signal()).then((release) => {
      newer = release;
    });
    await waiting;
    await tick();
    // One place: the newer request waits until the older one is done.
    expect(newer).toBeUndefined();
    expect(gate.state()).toEqual({ inFlight: 1, waiting: 1 });
    older!();
    await arriving;
    newer!();
    expect(gate.state()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('refuses with 503 OVERLOADED past maxWaiting and after waitTimeoutMs, and gives up the turn of a client gone', async () => {
    vi.useFakeTimers();
    try {
      const gate = createAddressGate({ maxInFlight: 1, waitTimeoutMs: 1000, maxWaiting: 2 });
      const held = await gate.enter('a', signal());
      const slow = gate.enter('a', signal());
      const gone = new AbortController();
      const leaving = gate.enter('a', gone.signal);
      const full = await gate.enter('a', signal()).catch((error: unknown) => error);
      expect(full).toBeInstanceOf(HttpError);
      expect(full).toMatchObject({ code: 'OVERLOADED', status: 503 });
      // Its body is unread: the connection closes rather than Node reading the body outside its limits.
      expect(full).toMatchObject({ headers: { 'retry-after': '1', connection: 'close' } });
      gone.abort(new Error('gone'));
      await expect(leaving).rejects.toThrow('gone');
      expect(gate.state()).toEqual({ inFlight: 1, waiting: 1 });
      vi.advanceTimersByTime(1000);
      await expect(slow).rejects.toMatchObject({ code: 'OVERLOADED', status: 503, headers: { connection: 'close' } });
      expect(gate.state()).toEqual({ inFlight: 1, waiting: 0 });
      held();
      expect(gate.state()).toEqual({ inFlight: 0, waiting: 0 });
      // Its slot is free again.
      (await gate.enter('a', signal()))();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses every waiting request at once with 503 GATEWAY_STOPPING when the gateway drains, and every later one that would wait', async () => {
    const gate = createAddressGate({ maxInFlight: 1, waitTimeoutMs: 60_000 });
    const heldA = await gate.enter('a', signal());
    const heldB = await gate.enter('b', signal());
    const waiters = [gate.enter('a', signal()), gate.enter('a', signal()), gate.enter('b', signal())].map((entered) =>
      entered.catch((error: unknown) => error),
    );
    expect(gate.state()).toEqual({ inFlight: 2, waiting: 3 });
    gate.drain();
    for (const refused of await Promise.all(waiters)) {
      expect(refused).toBeInstanceOf(HttpError);
      expect(refused).toMatchObject({ code: 'GATEWAY_STOPPING', status: 503, headers: { connection: 'close' } });
    }
    expect(gate.state()).toEqual({ inFlight: 2, waiting: 0 });
    // Later: one that would wait is refused at once; one with a free place goes on.
    await expect(gate.enter('a', signal())).rejects.toMatchObject({ code: 'GATEWAY_STOPPING' });
    (await gate.enter('c', signal()))();
    heldA();
    heldB();
    expect(gate.state()).toEqual({ inFlight: 0, waiting: 0 });
    (await gate.enter('a', signal()))();
  });

  it('lets everything through with maxInFlight 0, and refuses a client already gone', async () => {
    const gate = createAddressGate({ maxInFlight: 0, waitTimeoutMs: 1000 });
    const releases = await Promise.all(Array.from({ length: 50 }, () => gate.enter('a', signal())));
    expect(releases).toHaveLength(50);
    const gone = new AbortController();
    gone.abort(new Error('gone'));
    await expect(createAddressGate({ maxInFlight: 1, waitTimeoutMs: 1000 }).enter('a', gone.signal)).rejects.toThrow('gone');
  });
});
