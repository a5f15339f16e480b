import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createInvocationSlot,
  type Deliver,
  type Invocation,
} from '../src/runtime-api/invocation-slot.js';

const inv = (requestId: string): Invocation => ({
  requestId,
  payload: Buffer.from('{}'),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
  timeoutMs: 3000,
});

function parkedNext(): { deliver: Deliver; got: Array<{ id: string; deadline: number }> } {
  const got: Array<{ id: string; deadline: number }> = [];
  return { got, deliver: (i, deadline) => (got.push({ id: i.requestId, deadline }), true) };
}

describe('invocation slot', () => {
  it('marks init done on the first /next and delivers a queued event at once', async () => {
    let initAt: number | undefined;
    const slot = createInvocationSlot({ onInitDone: (at) => (initAt = at) }, () => 1000);
    const outcome = slot.submit(inv('a'));
    const next = parkedNext();
    assert.equal(slot.next(next.deliver), undefined);
    assert.equal(initAt, 1000);
    assert.deepEqual(next.got, [{ id: 'a', deadline: 4000 }]);
    assert.equal(
      slot.complete('a', { kind: 'response', body: Buffer.from('1'), contentType: undefined }),
      true,
    );
    assert.equal((await outcome).kind, 'response');
  });

  it('delivers to a parked /next when an event is submitted', () => {
    const slot = createInvocationSlot();
    const next = parkedNext();
    slot.next(next.deliver);
    void slot.submit(inv('b'));
    assert.equal(next.got[0]?.id, 'b');
  });

  it('keeps the event queued when the parked connection is gone', () => {
    const slot = createInvocationSlot();
    slot.next(() => false);
    void slot.submit(inv('c'));
    const next = parkedNext();
    slot.next(next.deliver);
    assert.equal(next.got[0]?.id, 'c');
  });

  it('refuses like the RIE: wrong id 400, no invocation 403, answered id 400, /next in flight 403', () => {
    const slot = createInvocationSlot();
    assert.equal(slot.check('x')?.status, 403);
    const next = parkedNext();
    slot.next(next.deliver);
    void slot.submit(inv('d'));
    assert.equal(slot.check('other')?.errorType, 'InvalidRequestID');
    assert.equal(slot.next(parkedNext().deliver)?.errorType, 'InvalidStateTransition');
    assert.equal(slot.check('d'), undefined);
    slot.complete('d', { kind: 'too-large' });
    assert.equal(slot.check('d')?.status, 400);
    assert.equal(slot.complete('d', { kind: 'too-large' }), false);
  });

  it('fails a waiting event with the init error and refuses init errors after init', async () => {
    const slot = createInvocationSlot();
    const outcome = slot.submit(inv('e'));
    assert.equal(
      slot.initError({ errorType: 'Runtime.HandlerNotFound', body: Buffer.from('{}') }),
      undefined,
    );
    assert.deepEqual(await outcome, {
      kind: 'init-error',
      errorType: 'Runtime.HandlerNotFound',
      body: Buffer.from('{}'),
    });
    assert.equal((await slot.submit(inv('f'))).kind, 'init-error');
    const other = createInvocationSlot();
    other.next(parkedNext().deliver);
    assert.equal(other.initError({ errorType: 'x', body: Buffer.alloc(0) })?.status, 403);
  });

  it('allows one invocation in flight and none after close', async () => {
    const slot = createInvocationSlot();
    void slot.submit(inv('g'));
    await assert.rejects(slot.submit(inv('h')), /already in flight/);
    slot.close();
    await assert.rejects(slot.submit(inv('i')), /retired/);
    const next = parkedNext();
    assert.equal(slot.next(next.deliver), undefined, 'a closed slot parks /next unanswered');
    assert.deepEqual(next.got, []);
  });
});
