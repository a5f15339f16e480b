/**
 * Reads an `application/vnd.amazon.eventstream` body back into its messages, checking both
 * CRCs of each (the prelude's and the message's), as an SDK's decoder does. String headers
 * only: anything else fails the test.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';

export interface StreamEvent {
  headers: Record<string, string>;
  payload: Buffer;
}

function readHeaders(bytes: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let at = 0;
  while (at < bytes.length) {
    const nameLength = bytes.readUInt8(at);
    const name = bytes.subarray(at + 1, at + 1 + nameLength).toString('utf8');
    at += 1 + nameLength;
    assert.equal(bytes.readUInt8(at), 7, `header ${name} is a string`);
    const valueLength = bytes.readUInt16BE(at + 1);
    headers[name] = bytes.subarray(at + 3, at + 3 + valueLength).toString('utf8');
    at += 3 + valueLength;
  }
  return headers;
}

export function readEventStream(body: Buffer): StreamEvent[] {
  const events: StreamEvent[] = [];
  let at = 0;
  while (at < body.length) {
    const total = body.readUInt32BE(at);
    const headersLength = body.readUInt32BE(at + 4);
    assert.ok(at + total <= body.length, 'message runs past the body');
    const message = body.subarray(at, at + total);
    assert.equal(message.readUInt32BE(8), crc32(message.subarray(0, 8)), 'prelude CRC');
    assert.equal(
      message.readUInt32BE(total - 4),
      crc32(message.subarray(0, total - 4)),
      'message CRC',
    );
    events.push({
      headers: readHeaders(message.subarray(12, 12 + headersLength)),
      payload: message.subarray(12 + headersLength, total - 4),
    });
    at += total;
  }
  return events;
}
