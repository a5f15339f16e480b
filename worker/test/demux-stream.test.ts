import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemuxer } from '../src/containers/demux-stream.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('docker stream demuxer', () => {
  it('splits frames of both streams in order', () => {
    const seen: string[] = [];
    const demux = createDemuxer((payload, stream) => seen.push(`${stream}:${payload.toString()}`));
    demux(Buffer.concat([frame(1, 'out'), frame(2, 'err')]));
    assert.deepEqual(seen, ['stdout:out', 'stderr:err']);
  });

  it('reassembles frames split at every byte boundary', () => {
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'world'), frame(1, '!')]);
    for (let cut = 1; cut < all.length; cut++) {
      const seen: string[] = [];
      const demux = createDemuxer((payload) => seen.push(payload.toString()));
      demux(all.subarray(0, cut));
      demux(all.subarray(cut));
      assert.equal(seen.join(''), 'hello world!', `cut at ${cut}`);
    }
  });
});
