import { expect } from 'vitest';
import type { Target } from './startTarget.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined;
}

/** Sends a request to the target and reads the reply, whatever its body is (JSON when it parses). */
export async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Reply['body'];
  try {
    body = JSON.parse(text) as Reply['body'];
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body };
}

/** POSTs a JSON body (a string is sent as it is) to the target's GraphQL path. */
export function postRaw(target: Target, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * The caller's mistake got a caller's answer: a 4xx status (never a 5xx), a GraphQL-shaped body
 * whose first error has a string `extensions.code` (one of `codes`, when given), and no stack.
 */
export function expectRefused(reply: Reply, codes?: readonly string[]): void {
  expect(reply.status, JSON.stringify(reply.body)).toBeGreaterThanOrEqual(400);
  expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(500);
  const code = reply.body?.errors?.[0]?.extensions?.code;
  expect(typeof code, JSON.stringify(reply.body)).toBe('string');
  if (codes) expect(codes).toContain(code);
  expect(JSON.stringify(reply.body)).not.toMatch(/\n\s+at |stacktrace/);
}

/** The target is up and serves another, well-behaved client. */
export async function expectStillServing(target: Target): Promise<void> {
  expect(target.alive(), target.output()).toBe(true);
  const reply = await postRaw(target, { query: '{ topProducts(first: 1) { upc } }' });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body?.errors, JSON.stringify(reply.body)).toBeUndefined();
  expect(reply.body?.data).toEqual({ topProducts: [{ upc: expect.any(String) }] });
}
