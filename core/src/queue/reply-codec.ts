/**
 * @module
 * Binary framing on the gateway's pub/sub reply channel: a 4-byte big-endian header length, the
 * JSON header, then the payload bytes untouched. Payloads are up to 6 MB, so they are never
 * re-encoded as base64 or embedded in JSON on the hot path. Two kinds of frames share the
 * channel: the final reply of an invocation, and (for streamed responses) the chunks relayed
 * before it, whose header carries a `chunk` sequence number.
 */
import type { InvokeResultHeader } from './contracts.js';

export interface Reply {
  header: InvokeResultHeader;
  payload: Buffer;
}

/** One piece of a streamed response, relayed before the final reply of the same request. */
export interface ReplyChunk {
  requestId: string;
  /** 0, 1, 2 … in the order the runtime sent them. */
  seq: number;
  /** The runtime's response content type (on every chunk: a late joiner needs it). */
  contentType?: string;
  data: Buffer;
}

/** A frame from the reply channel: a final reply, or a chunk of a streamed one. */
export type ReplyFrame = { kind: 'reply'; reply: Reply } | { kind: 'chunk'; chunk: ReplyChunk };

interface ChunkHeader {
  requestId: string;
  chunk: number;
  contentType?: string;
}

function frame(header: InvokeResultHeader | ChunkHeader, payload: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(json.length, 0);
  return Buffer.concat([length, json, payload]);
}

function unframe(message: Buffer): { header: Record<string, unknown>; payload: Buffer } {
  if (message.length < 4) throw new Error('reply frame shorter than its length prefix');
  const headerLength = message.readUInt32BE(0);
  if (4 + headerLength > message.length) throw new Error('reply frame truncated');
  const header = JSON.parse(message.subarray(4, 4 + headerLength).toString('utf8')) as Record<
    string,
    unknown
  >;
  return { header, payload: message.subarray(4 + headerLength) };
}

export function encodeReply(header: InvokeResultHeader, payload: Buffer): Buffer {
  return frame(header, payload);
}

export function encodeChunk(chunk: ReplyChunk): Buffer {
  const header: ChunkHeader = { requestId: chunk.requestId, chunk: chunk.seq };
  if (chunk.contentType !== undefined) header.contentType = chunk.contentType;
  return frame(header, chunk.data);
}

export function decodeFrame(message: Buffer): ReplyFrame {
  const { header, payload } = unframe(message);
  if (typeof header.chunk === 'number') {
    const chunk: ReplyChunk = {
      requestId: String(header.requestId),
      seq: header.chunk,
      data: payload,
    };
    if (typeof header.contentType === 'string') chunk.contentType = header.contentType;
    return { kind: 'chunk', chunk };
  }
  return { kind: 'reply', reply: { header: header as unknown as InvokeResultHeader, payload } };
}

/** The final reply of a frame that is known to be one (tests, fallbacks). */
export function decodeReply(message: Buffer): Reply {
  const decoded = decodeFrame(message);
  if (decoded.kind !== 'reply') throw new Error('expected a reply frame, got a chunk');
  return decoded.reply;
}
