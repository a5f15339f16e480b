import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame, decodeReply, encodeChunk, encodeReply } from '../src/queue/reply-codec.js';

describe('reply codec', () => {
  it('round-trips a header and binary payload byte for byte', () => {
    const payload = Buffer.from([0, 1, 2, 255, 0x7b, 0x7d]);
    const header = { requestId: 'r', outcome: 'success' as const, executedVersion: '$LATEST' };
    const decoded = decodeReply(encodeReply(header, payload));
    assert.deepEqual(decoded.header, header);
    assert.deepEqual(decoded.payload, payload);
  });

  it('rejects truncated frames', () => {
    const frame = encodeReply(
      { requestId: 'r', outcome: 'success', executedVersion: '$LATEST' },
      Buffer.alloc(0),
    );
    assert.throws(() => decodeReply(frame.subarray(0, 6)), /truncated/);
    assert.throws(() => decodeReply(Buffer.alloc(2)), /shorter/);
  });
});

describe('streamed chunks on the reply channel', () => {
  it('round-trips a chunk and tells it apart from a final reply', () => {
    const data = Buffer.from([0, 1, 2, 255]);
    const chunk = decodeFrame(
      encodeChunk({ requestId: 'r-1', seq: 3, contentType: 'text/plain', data }),
    );
    assert.deepEqual(chunk, {
      kind: 'chunk',
      chunk: { requestId: 'r-1', seq: 3, contentType: 'text/plain', data },
    });
    const reply = decodeFrame(
      encodeReply({ requestId: 'r-1', outcome: 'success', executedVersion: '$LATEST' }, data),
    );
    assert.equal(reply.kind, 'reply');
    assert.throws(() => decodeReply(encodeChunk({ requestId: 'r', seq: 0, data })), /chunk/);
  });
});
