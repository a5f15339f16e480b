import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createPreludeParser,
  isHttpIntegrationStream,
  preludeResponseHead,
  type PreludeParser,
  type StreamPrelude,
} from '../../src/http-events/stream-prelude.js';

const NULS = Buffer.alloc(8);
const PRELUDE_JSON =
  '{"statusCode":201,"headers":{"Content-Type":"text/plain","X-N":7},"cookies":["a=1"]}';
const PRELUDE: StreamPrelude = {
  statusCode: 201,
  headers: [
    ['Content-Type', 'text/plain'],
    ['X-N', '7'],
  ],
  cookies: ['a=1'],
};
// The body starts with NUL bytes on purpose: only the first run of 8 is the delimiter.
const BODY = Buffer.concat([Buffer.from([0, 0, 0]), Buffer.from('Hello, world!')]);
const STREAM = Buffer.concat([Buffer.from(PRELUDE_JSON), NULS, BODY]);

function feed(parser: PreludeParser, chunks: Buffer[]) {
  const preludes: StreamPrelude[] = [];
  const body: Buffer[] = [];
  for (const chunk of [...chunks.map((c) => parser.push(c)), parser.end()]) {
    assert.equal(chunk.ok, true, chunk.ok ? '' : chunk.message);
    if (!chunk.ok) continue;
    if (chunk.prelude !== undefined) preludes.push(chunk.prelude);
    body.push(...chunk.body);
  }
  return { preludes, body: Buffer.concat(body) };
}

describe('createPreludeParser', () => {
  it('parses the prelude and the body when the stream is split at every byte boundary', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const result = feed(createPreludeParser(), [STREAM.subarray(0, cut), STREAM.subarray(cut)]);
      assert.deepEqual(result.preludes, [PRELUDE], `cut at ${cut}`);
      assert.deepEqual(result.body, BODY, `cut at ${cut}`);
    }
  });

  it('parses a stream delivered one byte at a time', () => {
    const bytes = [...STREAM].map((b) => Buffer.from([b]));
    const result = feed(createPreludeParser(), bytes);
    assert.deepEqual(result, { preludes: [PRELUDE], body: BODY });
  });

  it('splits the delimiter across three chunks and returns later chunks as they come', () => {
    const parser = createPreludeParser();
    assert.deepEqual(parser.push(Buffer.concat([Buffer.from('{}'), Buffer.alloc(3)])), {
      ok: true,
      body: [],
    });
    assert.deepEqual(parser.push(Buffer.alloc(4)), { ok: true, body: [] });
    assert.deepEqual(parser.push(Buffer.from([0, 65])), {
      ok: true,
      prelude: { statusCode: 200, headers: [], cookies: [] },
      body: [Buffer.from('A')],
    });
    assert.deepEqual(parser.push(Buffer.from('B')), { ok: true, body: [Buffer.from('B')] });
    assert.deepEqual(parser.push(Buffer.alloc(0)), { ok: true, body: [] });
    assert.deepEqual(parser.end(), { ok: true, body: [] });
  });

  const failures: Array<[string, Buffer[], string]> = [
    ['the prelude is not JSON', [Buffer.from('{x'), NULS], 'the response prelude is not JSON'],
    [
      'the prelude is a list',
      [Buffer.from('[]'), NULS],
      'the response prelude is not a JSON object',
    ],
    [
      'the status is not a status',
      [Buffer.from('{"statusCode":"OK"}'), NULS],
      'statusCode "OK" is not an HTTP status',
    ],
    [
      'cookies are not a list',
      [Buffer.from('{"cookies":"a=1"}'), NULS],
      'cookies must be an array of strings',
    ],
  ];
  for (const [name, chunks, message] of failures) {
    it(`fails when ${name}, and stays failed`, () => {
      const parser = createPreludeParser();
      const steps = chunks.map((c) => parser.push(c));
      assert.deepEqual(steps.at(-1), { ok: false, message });
      assert.deepEqual(parser.push(Buffer.from('more')), { ok: false, message });
      assert.deepEqual(parser.end(), { ok: false, message });
    });
  }

  it('fails when the stream ends before the delimiter, or is empty', () => {
    const message = 'the stream ended before the response prelude was complete';
    const parser = createPreludeParser();
    parser.push(Buffer.from('{"statusCode":200}'));
    assert.deepEqual(parser.end(), { ok: false, message });
    assert.deepEqual(createPreludeParser().end(), { ok: false, message });
  });

  it('fails once the prelude outgrows the limit instead of buffering forever', () => {
    const parser = createPreludeParser({ maxPreludeBytes: 16 });
    assert.deepEqual(parser.push(Buffer.from('{"headers":{"a":')), { ok: true, body: [] });
    assert.deepEqual(parser.push(Buffer.from('"0123456789"}}')), {
      ok: false,
      message: 'no response prelude delimiter within 16 bytes',
    });
    const late = createPreludeParser({ maxPreludeBytes: 4 });
    assert.deepEqual(late.push(Buffer.concat([Buffer.from('{"a":1}'), NULS])), {
      ok: false,
      message: 'the response prelude exceeds 4 bytes',
    });
  });
});

describe('stream helpers', () => {
  it('recognises the http-integration content type, parameters and case aside', () => {
    assert.equal(
      isHttpIntegrationStream('application/vnd.awslambda.http-integration-response'),
      true,
    );
    assert.equal(
      isHttpIntegrationStream('Application/Vnd.AwsLambda.Http-Integration-Response; x=1'),
      true,
    );
    assert.equal(isHttpIntegrationStream('application/octet-stream'), false);
    assert.equal(isHttpIntegrationStream(undefined), false);
  });

  it('turns a prelude into a response head with set-cookie headers and a default type', () => {
    assert.deepEqual(preludeResponseHead(PRELUDE), {
      statusCode: 201,
      headers: [
        ['Content-Type', 'text/plain'],
        ['X-N', '7'],
        ['set-cookie', 'a=1'],
      ],
    });
    assert.deepEqual(preludeResponseHead({ statusCode: 200, headers: [], cookies: [] }), {
      statusCode: 200,
      headers: [['content-type', 'application/octet-stream']],
    });
  });
});
