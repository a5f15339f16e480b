/**
 * @module
 * AWS's event stream framing (`application/vnd.amazon.eventstream`), the body of
 * InvokeWithResponseStream: each message is a prelude (total length, headers length, the
 * prelude's CRC32), the headers, the payload, and the whole message's CRC32, all big-endian.
 * Only string headers are written; that is all the two Lambda events need.
 */
import { crc32 } from 'node:zlib';

/** Header value type 7: a string, with a 2-byte length. */
const STRING_TYPE = 7;
const PRELUDE_BYTES = 12;
const CRC_BYTES = 4;

function encodeHeaders(headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + nameBytes.length + 3);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(STRING_TYPE, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** One message: `headers` in order, then `payload`. */
export function encodeMessage(
  headers: ReadonlyArray<readonly [string, string]>,
  payload: Buffer,
): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = PRELUDE_BYTES + headerBytes.length + payload.length + CRC_BYTES;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, PRELUDE_BYTES);
  payload.copy(message, PRELUDE_BYTES + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - CRC_BYTES)), total - CRC_BYTES);
  return message;
}

/** An event of the stream's union: `:event-type` names the member it carries. */
export function encodeEvent(eventType: string, contentType: string, payload: Buffer): Buffer {
  return encodeMessage(
    [
      [':event-type', eventType],
      [':content-type', contentType],
      [':message-type', 'event'],
    ],
    payload,
  );
}
