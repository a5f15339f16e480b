/**
 * @module
 * Read async invocation records through `GET /lambdock/v1/invocations/{requestId}` and wait,
 * within a deadline, until a set of request ids have all ended (succeeded, failed, dropped).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationRecord } from '@lambdock/core';

const TERMINAL = new Set(['succeeded', 'failed', 'dropped']);
const POLL_INTERVAL_MS = 500;
const PARALLEL_READS = 16;

export interface RecordRead {
  /** HTTP status of the read (404: no record and no job). */
  status: number;
  record?: InvocationRecord;
}

export async function readInvocation(endpoint: string, requestId: string): Promise<RecordRead> {
  const res = await fetch(`${endpoint}/lambdock/v1/invocations/${requestId}`, {
    signal: AbortSignal.timeout(5000),
  });
  const body: unknown = await res.json();
  return res.status === 200
    ? { status: 200, record: body as InvocationRecord }
    : { status: res.status };
}

export function isTerminalRead(read: RecordRead | undefined): boolean {
  return read?.record !== undefined && TERMINAL.has(read.record.Status);
}

async function readAll(
  endpoint: string,
  ids: readonly string[],
  into: Map<string, RecordRead>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++] ?? '';
      try {
        into.set(id, await readInvocation(endpoint, id));
      } catch {
        // The gateway may still be reconnecting; the next round reads it again.
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_READS }, lane));
}

/**
 * Poll until every id has a terminal record or `timeoutMs` passes. Resolves with the last read
 * of every id (an id never read answers nothing in the map).
 */
export async function waitForTerminal(
  endpoint: string,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, RecordRead>> {
  const deadline = Date.now() + timeoutMs;
  const reads = new Map<string, RecordRead>();
  for (;;) {
    const pending = ids.filter((id) => !isTerminalRead(reads.get(id)));
    if (pending.length === 0 || Date.now() > deadline) return reads;
    await readAll(endpoint, pending, reads);
    if (ids.every((id) => isTerminalRead(reads.get(id)))) return reads;
    await sleep(POLL_INTERVAL_MS);
  }
}
