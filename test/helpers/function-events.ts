/**
 * @module
 * What a logging fixture function received, read back through the gateway's logs API: each
 * invocation prints `lambdock-event <event JSON>` (fixture `node-event-log`). Plus the
 * per-webhook counts of `lambdock_webhook_records_total`.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Stack } from './stack.js';

const MARKER = 'lambdock-event ';
const SETTLE_MS = 2_000;

export interface Received<E> {
  requestId: string;
  event: E;
}

interface LogPage {
  events: { requestId: string; message: string }[];
  nextToken?: string;
}

async function readLog(stack: Stack, fn: string, after?: string): Promise<LogPage> {
  const query = new URLSearchParams({ limit: '10000', ...(after ? { after } : {}) });
  const res = await fetch(`${stack.endpoint}/2015-03-31/functions/${fn}/logs?${query.toString()}`);
  assert.equal(res.status, 200);
  return (await res.json()) as LogPage;
}

/**
 * The JSON printed after `marker` on each line of a log message that has one. A message can
 * hold more than its own invocation's lines: output that reached the worker after the next
 * invocation began opens that one's message.
 */
export function markedJson<T>(message: string, marker: string): T[] {
  return message.split('\n').flatMap((line) => {
    const at = line.indexOf(marker);
    return at < 0 ? [] : [JSON.parse(line.slice(at + marker.length)) as T];
  });
}

/** Where the function's log ends now; events are read from here on. */
export async function logMark(stack: Stack, fn: string): Promise<string | undefined> {
  return (await readLog(stack, fn)).nextToken;
}

export async function receivedSince<E>(
  stack: Stack,
  fn: string,
  mark?: string,
): Promise<Received<E>[]> {
  const received: Received<E>[] = [];
  for (const entry of (await readLog(stack, fn, mark)).events) {
    for (const event of markedJson<E>(entry.message, MARKER))
      received.push({ requestId: entry.requestId, event });
  }
  return received;
}

/** Every event received after `mark`, once `count` arrived and nothing more came in a while. */
export async function awaitReceived<E>(
  stack: Stack,
  fn: string,
  mark: string | undefined,
  count: number,
  waitMs: number,
): Promise<Received<E>[]> {
  const deadline = Date.now() + waitMs;
  let got = await receivedSince<E>(stack, fn, mark);
  while (got.length < count && Date.now() < deadline) {
    await sleep(250);
    got = await receivedSince<E>(stack, fn, mark);
  }
  assert.ok(got.length >= count, `${fn}: ${got.length} of ${count} events within ${waitMs} ms`);
  await sleep(SETTLE_MS);
  return receivedSince<E>(stack, fn, mark);
}

/** This webhook's `lambdock_webhook_records_total` by result. */
export async function recordCounts(stack: Stack, webhook: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${stack.endpoint}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('lambdock_webhook_records_total{')) continue;
    if (!line.includes(`webhook="${webhook}"`)) continue;
    const result = /result="([a-z]+)"/.exec(line)?.[1] ?? '';
    counts[result] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}
