/** Calls to the gateway's CloudWatch Logs API, and a function with logs to read. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { activeRecord, createTestGateway, seed, type TestGateway } from './test-app.js';

export const S1 = '2026/12/07/[$LATEST]aaaa';
export const S2 = '2026/12/07/[$LATEST]bbbb';

export interface LogsEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

/** `operation` with `body` (sent as is when a string), as a logs client posts it. */
export async function call(
  gw: TestGateway,
  operation: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  const res = await request(gw.app)
    .post('/')
    .set('X-Amz-Target', `Logs_20140328.${operation}`)
    .set('Content-Type', 'application/x-amz-json-1.1')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    status: res.status,
    body: JSON.parse(res.text) as Record<string, unknown>,
    headers: res.headers,
  };
}

/** The answer of an operation that must succeed. */
export async function ok(
  gw: TestGateway,
  operation: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await call(gw, operation, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
  return res.body;
}

/** Assert a 400 of `type` in the JSON protocol's shape; its message. */
export async function refused(
  gw: TestGateway,
  operation: string,
  body: unknown,
  type: string,
): Promise<string> {
  const res = await call(gw, operation, body);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.headers['x-amzn-errortype'], type);
  assert.deepEqual(Object.keys(res.body).sort(), ['__type', 'message']);
  assert.equal(res.body['__type'], type);
  return String(res.body['message']);
}

export const messages = (body: Record<string, unknown>): string[] =>
  (body['events'] as LogsEvent[]).map((e) => e.message);

/** `demo` with two invocations on stream S1 and one on S2. */
export async function demoGateway(): Promise<TestGateway> {
  const gw = createTestGateway();
  await seed(gw, activeRecord('demo'));
  gw.logs.add('demo', 1000, 'START RequestId: r1\nhello ERROR one\nEND RequestId: r1\n', S1);
  gw.logs.add('demo', 2000, 'START RequestId: r2\nWARN two\nEND RequestId: r2\n', S2);
  gw.logs.add('demo', 3000, 'START RequestId: r3\nhello three\n\nEND RequestId: r3\n', S1);
  return gw;
}
