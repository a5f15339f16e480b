/**
 * @module output-bytes
 * Counts the bytes written to stdout and stderr through Node's streams (console and direct
 * `process.stdout.write` alike). The runtime sends how many were written during an invocation
 * with its answer, so the worker closes that invocation's log once they have all arrived instead
 * of guessing from a quiet stream. Output that bypasses these streams (child processes, native
 * code) is not counted; for it the worker still waits for the stream to settle.
 */

/** Wraps each stream's `write`; returns the running count. */
export function countOutput(streams = [process.stdout, process.stderr]) {
  let written = 0;
  for (const stream of streams) {
    const write = stream.write;
    stream.write = function countedWrite(chunk, encoding, callback) {
      if (typeof chunk === 'string') {
        written += Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding : 'utf8');
      } else if (chunk?.length !== undefined) {
        written += chunk.length;
      }
      return write.call(this, chunk, encoding, callback);
    };
  }
  return { bytes: () => written };
}
