import { expect } from 'vitest';
import type { TwoAnswers } from './askBoth.js';

/**
 * The part of two answers that must match even where Portico words its errors differently on
 * purpose: the HTTP status and the data, field order included.
 */
export function expectSameStatusAndData({ apollo, portico }: TwoAnswers): void {
  const context = `\nApollo Gateway: ${apollo.text}\nPortico:        ${portico.text}`;
  expect(portico.status, `HTTP status${context}`).toBe(apollo.status);
  expect(portico.body.data, `data${context}`).toEqual(apollo.body.data);
  expect(JSON.stringify(portico.body.data), 'data as JSON text (field order)').toBe(JSON.stringify(apollo.body.data));
}
