import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRACE_ID_RANDOM_BYTES, createTraceIdSource, newTraceId } from '../src/invoke/trace-id.js';

const SHAPE = /^Root=1-00000000-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;

describe('trace ids', () => {
  it('puts the epoch seconds in hex and splits 20 random bytes into root and parent', () => {
    const random = Buffer.from([...Array(20).keys()]);
    assert.equal(
      newTraceId(1_700_000_000_999, random),
      'Root=1-6553f100-000102030405060708090a0b;Parent=0c0d0e0f10111213;Sampled=0',
    );
  });

  it('reads its 20 bytes at the offset given', () => {
    const random = Buffer.from([...Array(40).keys()]);
    assert.equal(
      newTraceId(0, random, 20),
      'Root=1-00000000-1415161718191a1b1c1d1e1f;Parent=2021222324252627;Sampled=0',
    );
  });

  it('is unique per call with real entropy', () => {
    const next = createTraceIdSource();
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) ids.add(next(0));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, SHAPE);
  });

  it('takes successive bytes of its pool, and refills it only once every byte was used', () => {
    let fills = 0;
    const next = createTraceIdSource((pool) => {
      fills++;
      for (let i = 0; i < pool.length; i++) pool[i] = (i / TRACE_ID_RANDOM_BYTES + fills) & 0xff;
    });
    const first = next(0);
    assert.equal(fills, 1);
    assert.equal(first, newTraceId(0, Buffer.alloc(TRACE_ID_RANDOM_BYTES, 1)));
    assert.equal(next(0), newTraceId(0, Buffer.alloc(TRACE_ID_RANDOM_BYTES, 2)));
    let calls = 2;
    while (fills === 1) {
      next(0);
      calls++;
    }
    // The pool held 256 ids: the 257th call refilled it.
    assert.equal(calls, 257);
  });
});
