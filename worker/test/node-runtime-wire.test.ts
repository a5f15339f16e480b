import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUNTIME_DIR } from './helpers/node-runtime.js';

interface Head {
  http10: boolean;
  statusCode: number;
  headers: Record<string, string>;
}
interface WireModule {
  parseHead(text: string): Head;
  bodyFraming(head: Head): { kind: string; length?: number; closeAfter: boolean };
  requestHead(method: string, path: string, host: string, headers: Record<string, string>): string;
}

const load = async (): Promise<WireModule> =>
  (await import(join(RUNTIME_DIR, 'http-wire.mjs'))) as WireModule;

describe('node runtime HTTP wire format', () => {
  it('reads status, lower-cased headers and joins repeated ones', async () => {
    const { parseHead } = await load();
    const head = parseHead('HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nX-A: 1\r\nx-a: 2');
    assert.deepEqual(
      { ...head, headers: { ...head.headers } },
      { http10: false, statusCode: 202, headers: { 'content-length': '0', 'x-a': '1, 2' } },
    );
    assert.equal(Object.getPrototypeOf(head.headers), null, 'a "constructor" header stays data');
    assert.throws(() => parseHead('HTTX/1.1 200 OK'), { name: 'HttpProtocolError' });
    assert.throws(() => parseHead('HTTP/1.1 200 OK\r\nno colon'), { name: 'HttpProtocolError' });
    // A colon on a later line does not make up for a line without one.
    assert.throws(() => parseHead('HTTP/1.1 200 OK\r\nno colon\r\nB: 1'), {
      name: 'HttpProtocolError',
    });
    assert.throws(() => parseHead('HTTP/1.1 200 OK\r\n: no name'), { name: 'HttpProtocolError' });
    assert.throws(() => parseHead('HTTP/1.1 200 OK\r\nA: 1\r\n'), { name: 'HttpProtocolError' });
    const bare = parseHead('HTTP/1.0 204 No Content');
    assert.deepEqual(
      { ...bare, headers: { ...bare.headers } },
      {
        http10: true,
        statusCode: 204,
        headers: {},
      },
    );
    const spaced = parseHead('HTTP/1.1 200\r\nA:1\r\n B \t:  two words \t');
    assert.deepEqual({ ...spaced.headers }, { a: '1', b: 'two words' });
  });

  it('picks the body framing the way RFC 9112 does', async () => {
    const { bodyFraming } = await load();
    const head = (statusCode: number, headers: Record<string, string>, http10 = false): Head => ({
      http10,
      statusCode,
      headers,
    });
    const cases: Array<[Head, ReturnType<WireModule['bodyFraming']>]> = [
      [head(200, { 'content-length': '7' }), { kind: 'length', length: 7, closeAfter: false }],
      [head(200, { 'content-length': '0' }), { kind: 'none', closeAfter: false }],
      [head(204, {}), { kind: 'none', closeAfter: false }],
      [head(200, { 'transfer-encoding': 'gzip, chunked' }), { kind: 'chunked', closeAfter: false }],
      [head(200, {}), { kind: 'until-close', closeAfter: true }],
      [
        head(413, { connection: 'close', 'content-length': '2' }),
        { kind: 'length', length: 2, closeAfter: true },
      ],
      [head(200, { 'content-length': '2' }, true), { kind: 'length', length: 2, closeAfter: true }],
      [
        head(200, { connection: 'keep-alive', 'content-length': '2' }, true),
        { kind: 'length', length: 2, closeAfter: false },
      ],
    ];
    for (const [input, expected] of cases) assert.deepEqual(bodyFraming(input), expected);
    assert.throws(() => bodyFraming(head(100, {})), { message: 'unexpected status 100' });
    assert.throws(() => bodyFraming(head(200, { 'content-length': '-1' })), {
      message: 'bad content-length: -1',
    });
  });

  it('writes request heads and refuses unsafe paths and header values', async () => {
    const { requestHead } = await load();
    assert.equal(
      requestHead('POST', '/2018-06-01/runtime/init/error', '10.0.0.1:9001', {
        'Content-Length': '2',
        'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError',
      }),
      'POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: 10.0.0.1:9001\r\nContent-Length: 2\r\n' +
        'Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError\r\n\r\n',
    );
    assert.throws(() => requestHead('GET', '/a b', 'h', {}), {
      message: 'Request path contains unescaped characters',
    });
    assert.throws(() => requestHead('GET', '/', 'h', { X: 'a\nb' }), TypeError);
  });
});
