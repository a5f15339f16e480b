import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express, { type Express } from 'express';
import type { HttpRequestFacts } from '../../src/http-events/request-facts.js';
import { isResponse, readExchange, writeResponse } from '../../src/ingress/http-exchange.js';

interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** One request with headers sent exactly as listed; the answer keeps its raw header list. */
async function send(port: number, path: string, headers: string[], body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: ['Host', 'h', ...headers, 'Content-Length', String(body.length)],
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
            pairs.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
          // Node's own headers are capitalised; the ones under test are written lower-case.
          const kept = pairs.filter(([n]) => !['Date', 'Connection', 'Keep-Alive'].includes(n));
          resolve({
            status: res.statusCode ?? 0,
            headers: kept,
            body: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('http exchange', () => {
  let port = 0;
  let facts: HttpRequestFacts | undefined;
  let server: ReturnType<Express['listen']> | undefined;

  before(async () => {
    const app = express();
    app.disable('x-powered-by');
    app.use((_req, res, next) => {
      // As the request-id middleware does before any ingress runs.
      res.set('x-amzn-RequestId', 'rid');
      next();
    });
    app.use(async (req, res) => {
      const read = await readExchange(req, 1024, 'rid', 0, req.path);
      if (isResponse(read)) {
        writeResponse(res, read);
        return;
      }
      facts = read;
      writeResponse(
        res,
        {
          statusCode: 201,
          headers: [
            ['set-cookie', 'a=1'],
            ['x-multi', 'one'],
            ['Set-Cookie', 'b=2'],
            ['x-multi', 'two'],
            ['content-type', 'text/plain'],
          ],
          body: Buffer.from('hello'),
        },
        [['apigw-requestid', 'rid']],
      );
    });
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server?.address() as AddressInfo).port;
  });
  after(() => {
    server?.close();
  });

  it('writes every value of a repeated response header, set-cookie included', async () => {
    const answer = await send(port, '/x', []);
    assert.deepEqual(answer, {
      status: 201,
      headers: [
        ['x-amzn-RequestId', 'rid'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['x-multi', 'one'],
        ['x-multi', 'two'],
        ['content-type', 'text/plain'],
        ['apigw-requestid', 'rid'],
        ['content-length', '5'],
      ],
      body: 'hello',
    });
  });

  it('keeps repeated request headers in order and drops the hop-by-hop ones', async () => {
    await send(
      port,
      '/y',
      ['X-A', '1', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'x-a', '2'],
      'hi',
    );
    assert.deepEqual(facts?.rawHeaders, [
      'Host',
      'h',
      'X-A',
      '1',
      'x-a',
      '2',
      'Content-Length',
      '2',
    ]);
    assert.deepEqual(facts.body, Buffer.from('hi'));
  });

  it('refuses a body over the limit with 413', async () => {
    const answer = await send(port, '/z', ['Connection', 'keep-alive'], 'x'.repeat(1025));
    assert.deepEqual(answer, {
      status: 413,
      headers: [
        ['x-amzn-RequestId', 'rid'],
        ['content-type', 'application/json'],
        ['content-length', '38'],
      ],
      body: '{"message":"Request Entity Too Large"}',
    });
  });
});
