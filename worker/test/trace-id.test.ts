import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTraceId } from '../src/invoke/trace-id.js';

describe('trace ids', () => {
  it('puts the epoch seconds in hex and splits 20 random bytes into root and parent', () => {
    const random = Buffer.from([...Array(20).keys()]);
    assert.equal(
      newTraceId(1_700_000_000_999, random),
      'Root=1-6553f100-000102030405060708090a0b;Parent=0c0d0e0f10111213;Sampled=0',
    );
  });

  it('is unique per call with real entropy', () => {
    const a = newTraceId(0);
    const b = newTraceId(0);
    assert.match(a, /^Root=1-00000000-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.notEqual(a, b);
  });
});
