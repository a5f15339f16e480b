import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBodyDecoder, type BodyDecoder } from '../src/runtime-api/wire/body.js';
import { MAX_FIELDS, parseHead, type RequestHead } from '../src/runtime-api/wire/head.js';

const head = (text: string): RequestHead => {
  const parsed = parseHead(Buffer.from(text, 'latin1'), 16 * 1024);
  assert.equal(parsed.kind, 'head', JSON.stringify(parsed));
  return (parsed as { head: RequestHead }).head;
};

const refusal = (text: string, maxBytes = 16 * 1024): string => {
  const parsed = parseHead(Buffer.from(text, 'latin1'), maxBytes);
  assert.equal(parsed.kind, 'bad', `accepted: ${JSON.stringify(text)}`);
  return (parsed as { reason: string }).reason;
};

describe('request heads', () => {
  it('reads the request line, the fields and where the head ends', () => {
    const text =
      'POST /2018-06-01/runtime/invocation/a%2Fb/response?x=1 HTTP/1.1\r\n' +
      'Host: rt\r\nContent-Length: 4\r\nX-Many: a\r\nx-many:  b \r\n\r\nbody';
    const parsed = head(text);
    assert.equal(parsed.method, 'POST');
    assert.equal(parsed.target, '/2018-06-01/runtime/invocation/a%2Fb/response?x=1');
    assert.equal(parsed.http10, false);
    assert.deepEqual(parsed.headers, { host: 'rt', 'content-length': '4', 'x-many': 'a, b' });
    assert.deepEqual(parsed.framing, { kind: 'length', length: 4 });
    assert.equal(parsed.bytes, text.length - 4);
  });

  it('skips blank lines before a request and tells HTTP/1.0', () => {
    const parsed = head('\r\n\r\nGET /ping HTTP/1.0\r\n\r\n');
    assert.equal(parsed.http10, true);
    assert.equal(parsed.bytes, 4 + 'GET /ping HTTP/1.0\r\n\r\n'.length);
    assert.deepEqual(parsed.framing, { kind: 'length', length: 0 });
  });

  it('waits for the rest of a head, up to its cap', () => {
    assert.deepEqual(parseHead(Buffer.from('GET /next HTTP/1.1\r\nHost: rt\r\n'), 64), {
      kind: 'incomplete',
    });
    const long = parseHead(Buffer.from(`GET /next HTTP/1.1\r\nX: ${'a'.repeat(80)}`), 64);
    assert.deepEqual(long, { kind: 'bad', reason: 'request head too large', tooLarge: true });
    const whole = parseHead(Buffer.from(`GET /next HTTP/1.1\r\nX: ${'a'.repeat(80)}\r\n\r\n`), 64);
    assert.equal(whole.kind, 'bad');
  });

  it('frames chunked bodies and refuses what could be read two ways', () => {
    assert.deepEqual(head('POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n').framing, {
      kind: 'chunked',
    });
    assert.equal(
      head('POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n').framing.kind,
      'length',
    );
    assert.match(
      refusal('POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n'),
      /both/,
    );
    assert.match(
      refusal('POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'),
      /conflicting/,
    );
    assert.match(
      refusal('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'),
      /transfer-encoding/,
    );
    assert.match(refusal('POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n'), /content-length/);
    assert.match(refusal('POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n'), /content-length/);
  });

  it('refuses malformed request lines and fields', () => {
    for (const line of [
      'GET /next',
      'GET /next HTTP/2.0',
      'get /next http/1.1',
      'GET next HTTP/1.1',
      'GET /a b HTTP/1.1',
      'GET  /next HTTP/1.1',
    ]) {
      assert.match(refusal(`${line}\r\nHost: rt\r\n\r\n`), /request line/, line);
    }
    for (const field of [
      'Host : rt',
      ' Host: rt',
      'Host',
      ': rt',
      'Ho st: rt',
      'X: a\x00b',
      'X: a\x1bb',
    ]) {
      assert.match(
        refusal(`GET /next HTTP/1.1\r\n${field}\r\n\r\n`),
        /header/,
        JSON.stringify(field),
      );
    }
    assert.equal(head('GET /next HTTP/1.1\r\nX: tab\there\r\n\r\n').headers.x, 'tab\there');
  });

  it('caps the number of fields', () => {
    const fields = (n: number): string =>
      Array.from({ length: n }, (_, i) => `X-${i}: v\r\n`).join('');
    assert.equal(
      Object.keys(head(`GET / HTTP/1.1\r\n${fields(MAX_FIELDS)}\r\n`).headers).length,
      MAX_FIELDS,
    );
    assert.match(refusal(`GET / HTTP/1.1\r\n${fields(MAX_FIELDS + 1)}\r\n`), /too many/);
  });
});

/** Feeds `wire` to a decoder in pieces of `step` bytes, as a connection would. */
function decode(
  decoder: BodyDecoder,
  wire: Buffer,
  step: number,
): { body: string; rest: string } | string {
  const body: Buffer[] = [];
  let input = Buffer.alloc(0);
  let offset = 0;
  while (!decoder.done) {
    if (offset >= wire.length) return 'ran out of input';
    input = Buffer.concat([input, wire.subarray(offset, offset + step)]);
    offset += step;
    const fed = decoder.feed(input);
    if ('error' in fed) return fed.error;
    body.push(...fed.data);
    input = input.subarray(fed.used);
  }
  return {
    body: Buffer.concat(body).toString(),
    rest: Buffer.concat([input, wire.subarray(offset)]).toString(),
  };
}

describe('request bodies', () => {
  it('reads a declared length and leaves what follows', () => {
    for (const step of [1, 3, 100]) {
      const decoder = createBodyDecoder({ kind: 'length', length: 5 });
      assert.deepEqual(decode(decoder, Buffer.from('hello GET /next'), step), {
        body: 'hello',
        rest: ' GET /next',
      });
    }
    assert.equal(createBodyDecoder({ kind: 'length', length: 0 }).done, true);
  });

  it('decodes chunks, extensions and trailers however the bytes are split', () => {
    const wire = Buffer.from(
      '5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n' +
        'Lambda-Runtime-Function-Error-Type: Oops\r\nX-T:  v \r\n\r\nGET /next',
    );
    for (let step = 1; step <= wire.length; step++) {
      const decoder = createBodyDecoder({ kind: 'chunked' });
      assert.deepEqual(
        decode(decoder, wire, step),
        { body: 'hello 0123456789', rest: 'GET /next' },
        `step ${step}`,
      );
      assert.deepEqual(decoder.trailers, {
        'lambda-runtime-function-error-type': 'Oops',
        'x-t': 'v',
      });
    }
  });

  it('refuses malformed chunked bodies', () => {
    const cases: Array<[string, RegExp]> = [
      ['g\r\n', /chunk size/],
      ['5\r\nhelloXY0\r\n\r\n', /CRLF/],
      [`${'1'.repeat(14)}\r\n`, /chunk size/],
      [`5;${'x'.repeat(2000)}`, /too long/],
      ['0\r\nbad trailer\r\n\r\n', /trailer/],
      [`0\r\nX: ${'v'.repeat(20_000)}`, /too long/],
    ];
    for (const [wire, error] of cases) {
      const result = decode(createBodyDecoder({ kind: 'chunked' }), Buffer.from(wire), 4096);
      assert.equal(typeof result, 'string', wire.slice(0, 20));
      assert.match(result as string, error, wire.slice(0, 20));
    }
  });
});
