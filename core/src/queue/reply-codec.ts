/**
 * @module
 * Binary framing of a sync reply on the gateway's pub/sub channel: a 4-byte big-endian
 * header length, the JSON header, then the payload bytes untouched. Payloads are up to
 * 6 MB, so they are never re-encoded as base64 or embedded in JSON on the hot path.
 */
import type { InvokeResultHeader } from './contracts.js';

export interface Reply {
  header: InvokeResultHeader;
  payload: Buffer;
}

export function encodeReply(header: InvokeResultHeader, payload: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(json.length, 0);
  return Buffer.concat([length, json, payload]);
}

export function decodeReply(message: Buffer): Reply {
  if (message.length < 4) throw new Error('reply frame shorter than its length prefix');
  const headerLength = message.readUInt32BE(0);
  if (4 + headerLength > message.length) throw new Error('reply frame truncated');
  const header = JSON.parse(
    message.subarray(4, 4 + headerLength).toString('utf8'),
  ) as InvokeResultHeader;
  return { header, payload: message.subarray(4 + headerLength) };
}
