import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { createKeys } from '../src/registry/keys.js';
import { encodeChunk, encodeReply } from '../src/queue/reply-codec.js';
import { createReplyWaiter } from '../src/queue/reply-waiter.js';

/** Enough of an ioredis subscriber: SUBSCRIBE and `messageBuffer` events. */
class FakeSubscriber extends EventEmitter {
  channels: string[] = [];
  async subscribe(channel: string): Promise<number> {
    this.channels.push(channel);
    return 1;
  }
  async unsubscribe(channel: string): Promise<number> {
    this.channels = this.channels.filter((c) => c !== channel);
    return 0;
  }
  publish(channel: string, frame: Buffer): void {
    this.emit('messageBuffer', Buffer.from(channel), frame);
  }
}

const header = (requestId: string) => ({
  requestId,
  outcome: 'success' as const,
  executedVersion: '3',
});

function setup(channel = createKeys('p').workerReplyChannel('w1')) {
  const sub = new FakeSubscriber();
  const seen: string[] = [];
  const waiter = createReplyWaiter(sub as unknown as Redis, channel, {
    malformed: () => seen.push('malformed'),
    late: (id) => seen.push(`late ${id}`),
  });
  return { sub, waiter, seen, channel };
}

describe('createReplyWaiter', () => {
  it('gives a worker its own channel, apart from the gateways’', () => {
    const keys = createKeys('p');
    assert.equal(keys.workerReplyChannel('w1'), 'p:wreply:w1');
    assert.notEqual(keys.workerReplyChannel('w1'), keys.replyChannel('w1'));
  });

  it('delivers replies and chunks on its channel to the waiter of the request', async () => {
    const { sub, waiter, seen, channel } = setup();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(sub.channels, [channel]);
    assert.equal(waiter.isSubscribed(), true);
    const chunks: string[] = [];
    const pending = waiter.wait('r1', 1000, (c) => chunks.push(c.data.toString()));
    sub.publish('p:reply:gw', encodeReply(header('r1'), Buffer.from('"not mine"')));
    sub.publish(channel, Buffer.from([0, 0]));
    sub.publish(channel, encodeChunk({ requestId: 'r1', seq: 0, data: Buffer.from('a') }));
    sub.publish(channel, encodeReply(header('r9'), Buffer.from('"late"')));
    sub.publish(channel, encodeReply(header('r1'), Buffer.from('"ok"')));
    const reply = await pending.reply;
    assert.equal(reply?.payload.toString(), '"ok"');
    assert.deepEqual(chunks, ['a']);
    assert.deepEqual(seen, ['malformed', 'late r9']);
    assert.equal(waiter.pending(), 0);
  });

  it('resolves undefined on timeout, cancel and close, and unsubscribes', async () => {
    const { sub, waiter } = setup();
    assert.equal(await waiter.wait('r2', 5).reply, undefined);
    const cancelled = waiter.wait('r3', 10_000);
    cancelled.cancel();
    assert.equal(await cancelled.reply, undefined);
    assert.equal(waiter.pending(), 0);
    const pending = waiter.wait('r4', 10_000);
    await waiter.close();
    assert.equal(await pending.reply, undefined);
    assert.deepEqual(sub.channels, []);
  });

  it('leaves a later wait under the same id alone when an earlier one is cancelled late', async () => {
    const { waiter, channel, sub } = setup();
    const first = waiter.wait('r5', 10_000);
    sub.publish(channel, encodeReply(header('r5'), Buffer.from('"one"')));
    assert.equal((await first.reply)?.payload.toString(), '"one"');
    const second = waiter.wait('r5', 10_000);
    first.cancel();
    assert.equal(waiter.pending(), 1);
    sub.publish(channel, encodeReply(header('r5'), Buffer.from('"two"')));
    assert.equal((await second.reply)?.payload.toString(), '"two"');
    assert.equal(waiter.pending(), 0);
  });
});
