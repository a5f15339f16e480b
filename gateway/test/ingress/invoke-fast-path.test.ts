import assert from 'node:assert/strict';
import type { IncomingMessage, RequestListener } from 'node:http';
import { describe, it } from 'node:test';
import request from 'supertest';
import { fastInvokeAddress } from '../../src/ingress/invoke-fast-path.js';
import {
  activeRecord,
  createTestGateway,
  reply,
  seed,
  type TestGateway,
} from '../helpers/test-app.js';

const req = (method: string, url: string, host = '127.0.0.1:8080'): IncomingMessage =>
  ({ method, url, headers: { host } }) as unknown as IncomingMessage;

describe('fastInvokeAddress', () => {
  it('takes exactly POST /2015-03-31/functions/{name}/invocations, decoding the name', () => {
    assert.deepEqual(fastInvokeAddress(req('POST', '/2015-03-31/functions/demo/invocations')), {
      name: 'demo',
      qualifier: undefined,
    });
    const arn = encodeURIComponent('arn:aws:lambda:us-east-1:111111111111:function:demo:live');
    assert.deepEqual(fastInvokeAddress(req('POST', `/2015-03-31/functions/${arn}/invocations/`)), {
      name: 'arn:aws:lambda:us-east-1:111111111111:function:demo:live',
      qualifier: undefined,
    });
  });

  it('reads the first Qualifier parameter, as the Express route does', () => {
    const url = '/2015-03-31/functions/demo/invocations?Qualifier=%24LATEST&Qualifier=2';
    assert.deepEqual(fastInvokeAddress(req('POST', url)), { name: 'demo', qualifier: '$LATEST' });
    const empty = fastInvokeAddress(
      req('POST', '/2015-03-31/functions/demo/invocations?Qualifier='),
    );
    assert.deepEqual(empty, { name: 'demo', qualifier: '' });
  });

  it('leaves everything else to Express', () => {
    const leftAlone = [
      req('GET', '/2015-03-31/functions/demo/invocations'),
      req('POST', '/2015-03-31/functions/demo'),
      req('POST', '/2015-03-31/FUNCTIONS/demo/invocations'),
      req('POST', '/2015-03-31/functions/demo/invocations/extra'),
      req('POST', '/2015-03-31/functions/%E0%A4%A/invocations'),
      req('POST', '/lambda-url/abc123/2015-03-31/functions/demo/invocations'),
      req(
        'POST',
        '/2015-03-31/functions/demo/invocations',
        `${'a1'.repeat(16)}.lambda-url.us-east-1.on.aws`,
      ),
    ];
    for (const r of leftAlone) assert.equal(fastInvokeAddress(r), undefined, r.url);
  });
});

/** Status, body and every header but the date, from one path and the other. */
async function exchange(
  app: RequestListener,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const res = await request(app).post(path).set(headers).send(body);
  const rest = { ...(res.headers as Record<string, unknown>) };
  delete rest.date;
  return { status: res.status, text: res.text, headers: rest };
}

async function assertSameAnswers(
  gw: TestGateway,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const id = { 'x-amzn-requestid': `same-${Math.random().toString(36).slice(2)}` };
  const fast = await exchange(gw.app, path, body, { ...headers, ...id });
  const slow = await exchange(gw.expressApp, path, body, { ...headers, ...id });
  assert.deepEqual(fast, slow, `${path} answered differently`);
  return fast.status;
}

describe('Invoke fast path against the Express route', () => {
  it('answers every outcome exactly as Express does', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    gw.queue.worker = (job) =>
      reply({ requestId: job.requestId }, JSON.stringify({ echo: job.payload }));
    const base = '/2015-03-31/functions';
    const cases: Array<[string, string, Record<string, string>, number]> = [
      [`${base}/demo/invocations`, '{"a":1}', {}, 200],
      [`${base}/demo/invocations`, '{}', { 'x-amz-invocation-type': 'DryRun' }, 204],
      [`${base}/demo/invocations`, '{}', { 'x-amz-invocation-type': 'Event' }, 202],
      [`${base}/demo/invocations`, '{not json', {}, 400],
      [`${base}/demo/invocations`, '{}', { 'x-amz-invocation-type': 'Sometimes' }, 400],
      [`${base}/missing/invocations`, '{}', {}, 404],
      [`${base}/bad%20name/invocations`, '{}', {}, 400],
      [`${base}/demo/invocations?Qualifier=7`, '{}', {}, 404],
    ];
    for (const [path, body, headers, status] of cases) {
      assert.equal(await assertSameAnswers(gw, path, body, headers), status, path);
    }
  });
});
