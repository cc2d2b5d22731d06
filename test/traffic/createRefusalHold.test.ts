import { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRefusalHold, type HoldOutcome } from '../../gateway/traffic/createRefusalHold.js';

/** A request on an accepted connection (its socket has a `server`) that records being destroyed, and a response that can close. */
function exchange(): { req: IncomingMessage; res: ServerResponse & EventEmitter; destroyed: () => boolean } {
  const socket = {
    server: {},
    destroyed: false,
    destroy() {
      socket.destroyed = true;
    },
  };
  const req = { socket } as unknown as IncomingMessage;
  const res = new EventEmitter() as ServerResponse & EventEmitter;
  return { req, res, destroyed: () => socket.destroyed };
}

/** Whether `promise` has settled, without waiting for it. */
async function settled(promise: Promise<HoldOutcome>): Promise<HoldOutcome | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('createRefusalHold', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a refusal until the window resets, when that is sooner than holdMs', async () => {
    const hold = createRefusalHold({ holdMs: 5000, maxPerAddress: 4 });
    const { req, res } = exchange();
    const held = hold.hold('10.0.0.1', 800, req, res);
    expect(await settled(held)).toBe('pending');
    expect(hold.heldNow('10.0.0.1')).toBe(1);
    vi.advanceTimersByTime(799);
    expect(await settled(held)).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(await held).toBe('held');
    expect(hold.heldNow()).toBe(0);
  });

  it('holds at most holdMs, however long the window has left', async () => {
    const hold = createRefusalHold({ holdMs: 1000, maxPerAddress: 4 });
    const { req, res } = exchange();
    const held = hold.hold('10.0.0.1', 60_000, req, res);
    vi.advanceTimersByTime(999);
    expect(await settled(held)).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(await held).toBe('held');
  });

  it('answers at once with holding off, or with the window already over', async () => {
    const { req, res } = exchange();
    expect(await createRefusalHold({ holdMs: 0, maxPerAddress: 4 }).hold('10.0.0.1', 5000, req, res)).toBe('now');
    expect(await createRefusalHold({ holdMs: 5000, maxPerAddress: 4 }).hold('10.0.0.1', 0, req, res)).toBe('now');
  });

  it("closes the connection of a request past the address's most held, and holds other addresses' still", async () => {
    const hold = createRefusalHold({ holdMs: 5000, maxPerAddress: 2 });
    const first = hold.hold('10.0.0.1', 5000, exchange().req, exchange().res);
    const second = hold.hold('10.0.0.1', 5000, exchange().req, exchange().res);
    const third = exchange();
    expect(await hold.hold('10.0.0.1', 5000, third.req, third.res)).toBe('dropped');
    expect(third.destroyed()).toBe(true);
    const other = hold.hold('10.0.0.2', 5000, exchange().req, exchange().res);
    expect(await settled(other)).toBe('pending');
    expect(hold.heldNow('10.0.0.1')).toBe(2);
    vi.advanceTimersByTime(5000);
    expect(await Promise.all([first, second, other])).toEqual(['held', 'held', 'held']);
    expect(hold.heldNow()).toBe(0);
  });

  it('answers at once, without closing anything, once every slot in all is taken', async () => {
    const hold = createRefusalHold({ holdMs: 5000, maxPerAddress: 10, maxTotal: 2 });
    void hold.hold('10.0.0.1', 5000, exchange().req, exchange().res);
    void hold.hold('10.0.0.2', 5000, exchange().req, exchange().res);
    const third = exchange();
    expect(await hold.hold('10.0.0.3', 5000, third.req, third.res)).toBe('now');
    expect(third.destroyed()).toBe(false);
    hold.releaseAll();
  });

  it('lets go of a refusal whose client has gone, and frees its slot', async () => {
    const hold = createRefusalHold({ holdMs: 5000, maxPerAddress: 1 });
    const { req, res } = exchange();
    const held = hold.hold('10.0.0.1', 5000, req, res);
    res.emit('close');
    expect(await held).toBe('held');
    expect(hold.heldNow('10.0.0.1')).toBe(0);
    const next = hold.hold('10.0.0.1', 5000, exchange().req, exchange().res);
    expect(await settled(next)).toBe('pending');
    hold.releaseAll();
    expect(await next).toBe('held');
  });

  it('answers every held refusal when the gateway stops', async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 10 });
    const held = Array.from({ length: 5 }, (_, i) => hold.hold(`10.0.0.${i % 2}`, 60_000, exchange().req, exchange().res));
    hold.releaseAll();
    expect(await Promise.all(held)).toEqual(Array(5).fill('held'));
    expect(hold.heldNow()).toBe(0);
  });

  it('holds no more once the gateway drains: later refusals are answered at once', async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 10 });
    const before = hold.hold('10.0.0.1', 60_000, exchange().req, exchange().res);
    hold.releaseAll();
    expect(await before).toBe('held');
    expect(await settled(hold.hold('10.0.0.1', 60_000, exchange().req, exchange().res))).toBe('now');
    expect(hold.heldNow()).toBe(0);
  });

  it('takes no slot for a client that left while its count was taken', async () => {
    const hold = createRefusalHold({ holdMs: 5000, maxPerAddress: 1 });
    const socketGone = exchange();
    socketGone.req.socket.destroy();
    expect(await settled(hold.hold('10.0.0.1', 5000, socketGone.req, socketGone.res))).toBe('dropped');
    const responseGone = exchange();
    Object.assign(responseGone.res, { destroyed: true });
    expect(await settled(hold.hold('10.0.0.1', 5000, responseGone.req, responseGone.res))).toBe('dropped');
    expect(hold.heldNow()).toBe(0);
    // The address's one slot is still free.
    const next = hold.hold('10.0.0.1', 5000, exchange().req, exchange().res);
    expect(await settled(next)).toBe('pending');
    hold.releaseAll();
  });

  it('never holds a stand-in request with no accepted connection (a WebSocket operation): its refusal is answered at once', async () => {
    const hold = createRefusalHold({ holdMs: 5000, maxPerAddress: 4 });
    const req = new IncomingMessage(new Socket());
    const res = new ServerResponse(req);
    expect(await settled(hold.hold('10.0.0.1', 5000, req, res))).toBe('now');
    expect(hold.heldNow()).toBe(0);
  });
});
