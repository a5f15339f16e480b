import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TICK_EVENT_NAMESPACE,
  TICK_REQUEST_NAMESPACE,
  tickEventId,
  tickRequestId,
  uuidV5,
} from '../../src/schedule/index.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TICK = Date.parse('2025-01-01T09:00:00Z');

describe('uuidV5', () => {
  it('matches the RFC 4122 DNS-namespace vector for www.example.com', () => {
    // DNS namespace from RFC 4122 appendix C; the expected value is what Python's uuid.uuid5 gives.
    assert.equal(
      uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com'),
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('rejects a namespace that is not a UUID', () => {
    assert.throws(() => uuidV5('not-a-uuid', 'x'), {
      name: 'RangeError',
      message: "namespace 'not-a-uuid' is not a UUID",
    });
  });
});

describe('tick ids', () => {
  it('are v5 UUIDs of the fixed namespaces and `${ruleName}@${tickMs}`', () => {
    assert.equal(tickRequestId('nightly', TICK), uuidV5(TICK_REQUEST_NAMESPACE, `nightly@${TICK}`));
    assert.equal(tickEventId('nightly', TICK), uuidV5(TICK_EVENT_NAMESPACE, `nightly@${TICK}`));
    assert.match(tickRequestId('nightly', TICK), UUID_V5);
    assert.match(tickEventId('nightly', TICK), UUID_V5);
  });

  it('are pinned (cross-checked with Python uuid.uuid5): same inputs, same ids everywhere', () => {
    assert.equal(tickRequestId('nightly', TICK), '02811b5e-7c9e-5aee-bb79-e496fc02c118');
    assert.equal(tickEventId('nightly', TICK), '9dc487a0-871a-546a-9017-04dff25d328f');
  });

  it('differ by rule, by tick and between request and event', () => {
    const ids = new Set([
      tickRequestId('nightly', TICK),
      tickRequestId('nightly', TICK + 60_000),
      tickRequestId('nightly2', TICK),
      tickEventId('nightly', TICK),
    ]);
    assert.equal(ids.size, 4);
  });
});
