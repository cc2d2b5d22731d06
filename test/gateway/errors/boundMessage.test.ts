import { describe, expect, it } from 'vitest';
import { boundMessage, MAX_MESSAGE_LENGTH } from '../../../gateway/errors/boundMessage.js';

describe('boundMessage', () => {
  it('leaves a message within the bound as it is', () => {
    const message = 'x'.repeat(MAX_MESSAGE_LENGTH);
    expect(boundMessage(message)).toBe(message);
  });

  it('cuts a longer one, saying how long it was', () => {
    const message = `Syntax Error: Unexpected Name "${'a'.repeat(100_000)}".`;
    expect(boundMessage(message)).toBe(`${message.slice(0, MAX_MESSAGE_LENGTH)}… (cut: ${message.length} characters in all)`);
  });

  it('never leaves half a surrogate pair at the cut', () => {
    const message = `${'x'.repeat(MAX_MESSAGE_LENGTH - 1)}😀${'y'.repeat(10)}`;
    expect(boundMessage(message)).toBe(`${'x'.repeat(MAX_MESSAGE_LENGTH - 1)}… (cut: ${message.length} characters in all)`);
  });
});
