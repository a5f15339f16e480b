/**
 * @module
 * Paced `Event` invoke load over plain HTTP: request i leaves at start + i x interval, with at
 * most `concurrency` in flight, and every answer is kept with its send and answer times so a
 * suite can line them up against the faults it injected.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface EventLoadOptions {
  endpoint: string;
  functionName: string;
  count: number;
  concurrency: number;
  intervalMs: number;
  /** Per request; a request with no answer by then is kept with status 0. */
  timeoutMs: number;
  payload(index: number): unknown;
}

export interface EventAnswer {
  index: number;
  /** Epoch ms the request left, and the answer (or the failure) came back. */
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when no answer came (connection error or timeout). */
  status: number;
  /** `x-amzn-RequestId` of the answer. */
  requestId?: string;
  /** `x-amzn-ErrorType` of an error answer. */
  errorType?: string;
}

async function sendOne(options: EventLoadOptions, index: number): Promise<EventAnswer> {
  const url = `${options.endpoint}/2015-03-31/functions/${options.functionName}/invocations`;
  const sentAt = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'X-Amz-Invocation-Type': 'Event', 'Content-Type': 'application/json' },
      body: JSON.stringify(options.payload(index)),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.arrayBuffer();
    const requestId = res.headers.get('x-amzn-requestid');
    const errorType = res.headers.get('x-amzn-errortype');
    return {
      index,
      sentAt,
      answeredAt: Date.now(),
      status: res.status,
      ...(requestId === null ? {} : { requestId }),
      ...(errorType === null ? {} : { errorType }),
    };
  } catch {
    return { index, sentAt, answeredAt: Date.now(), status: 0 };
  }
}

/** Send the whole load; resolves with one answer per request, in index order. */
export async function sendEventLoad(options: EventLoadOptions): Promise<EventAnswer[]> {
  const start = Date.now();
  const answers: EventAnswer[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.count) {
      const index = next++;
      await sleep(Math.max(0, start + index * options.intervalMs - Date.now()));
      answers.push(await sendOne(options, index));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return answers.sort((a, b) => a.index - b.index);
}
