/**
 * @module
 * Docker multiplexes stdout and stderr of a non-TTY container on one attach stream: frames of
 * an 8-byte header (stream type, three zero bytes, big-endian length) and a payload. Frames
 * span chunk boundaries, so the parser keeps the partial header or payload between chunks.
 */

export type FrameListener = (payload: Buffer, stream: 'stdout' | 'stderr') => void;

const HEADER_BYTES = 8;

export function createDemuxer(onFrame: FrameListener): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= HEADER_BYTES) {
      const type = pending[offset];
      const size = pending.readUInt32BE(offset + 4);
      if (pending.length - offset - HEADER_BYTES < size) break;
      const start = offset + HEADER_BYTES;
      if (size > 0)
        onFrame(pending.subarray(start, start + size), type === 2 ? 'stderr' : 'stdout');
      offset = start + size;
    }
    pending = offset === 0 ? pending : Buffer.from(pending.subarray(offset));
  };
}
