import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  REPLY_COPY_MARGIN_MS,
  copyTtlMs,
  createKeys,
  createReplyCopies,
  encodeReply,
} from '../src/index.js';

describe('reply copies', () => {
  it('live until the sender’s deadline plus the margin, never less than the margin', () => {
    assert.equal(copyTtlMs(10_000, 4_000), 6_000 + REPLY_COPY_MARGIN_MS);
    assert.equal(copyTtlMs(10_000, 10_000.4), REPLY_COPY_MARGIN_MS);
    assert.equal(copyTtlMs(10_000, 12_000), REPLY_COPY_MARGIN_MS, 'a deadline already past');
    assert.equal(copyTtlMs(undefined, 12_000), 60_000, 'a job without a deadline');
  });

  it('are read back as the reply from under the job id', async () => {
    const store = new Map<string, Buffer>();
    const redis = { getBuffer: async (key: string) => store.get(key) ?? null };
    const copies = createReplyCopies(redis, createKeys('p'));
    const frame = encodeReply(
      { requestId: 'r1', outcome: 'success', executedVersion: '$LATEST' },
      Buffer.from('"x"'),
    );
    store.set('p:replied:r1.ab', frame);
    const back = await copies.read('r1.ab');
    assert.equal(back?.header.requestId, 'r1');
    assert.equal(back?.payload.toString(), '"x"');
    assert.equal(await copies.read('r2'), undefined);
  });
});
