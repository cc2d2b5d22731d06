import { describe, expect, it } from 'vitest';
import { createTurnWaits } from '../../gateway/traffic/createTurnWaits.js';
import { Cancellation } from '../../gateway/resilience/Cancellation.js';

describe('createTurnWaits', () => {
  it('waits its time, and not at all for none', async () => {
    const turns = createTurnWaits();
    const order: string[] = [];
    const later = turns.wait(30, new Cancellation()).then(() => order.push('30 ms'));
    const now = turns.wait(0, new Cancellation()).then(() => order.push('0 ms'));
    await Promise.all([later, now]);
    expect(order).toEqual(['0 ms', '30 ms']);
  });

  it('rejects with the reason when the client goes away, before or while it waits', async () => {
    const turns = createTurnWaits();
    const gone = new Cancellation();
    const waiting = turns.wait(60_000, gone);
    gone.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    await expect(turns.wait(10, gone)).rejects.toThrow('client gone');
  });

  it('ends every wait when the gateway drains, and later ones do not wait', async () => {
    const turns = createTurnWaits();
    const waiting = [turns.wait(60_000, new Cancellation()), turns.wait(60_000, new Cancellation())];
    turns.drain();
    await expect(Promise.all(waiting)).resolves.toEqual([undefined, undefined]);
    await expect(turns.wait(60_000, new Cancellation())).resolves.toBeUndefined();
  });
});
