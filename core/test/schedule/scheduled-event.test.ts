import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleArn, scheduledEvent } from '../../src/schedule/index.js';

const base = {
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  account: '123456789012',
  region: 'us-east-1',
  ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/my-schedule',
  tickMs: Date.parse('2019-03-01T01:23:45Z'),
};

describe('scheduledEvent', () => {
  it('serialises to the EventBridge wire format, keys in wire order', () => {
    assert.equal(
      JSON.stringify(scheduledEvent(base)),
      '{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",' +
        '"source":"aws.events","account":"123456789012","time":"2019-03-01T01:23:45Z",' +
        '"region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/my-schedule"],' +
        '"detail":{}}',
    );
  });

  it('reports time in UTC at second precision, dropping milliseconds', () => {
    const event = scheduledEvent({ ...base, tickMs: Date.parse('2025-10-26T00:30:00.999Z') });
    assert.deepEqual(event, {
      version: '0',
      id: base.id,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2025-10-26T00:30:00Z',
      region: 'us-east-1',
      resources: [base.ruleArn],
      detail: {},
    });
  });

  it('returns a configured constant input unchanged instead of the envelope', () => {
    const input = { job: 'report', days: [1, 2], nested: { ok: true } };
    assert.equal(scheduledEvent({ ...base, input }), input);
    assert.equal(scheduledEvent({ ...base, input: 'plain string' }), 'plain string');
    assert.equal(scheduledEvent({ ...base, input: null }), null);
    assert.equal(scheduledEvent({ ...base, input: 0 }), 0);
  });
});

describe('ruleArn', () => {
  it('builds arn:aws:events:<region>:<account>:rule/<name>', () => {
    assert.equal(
      ruleArn('eu-central-1', '000000000000', 'nightly.backup'),
      'arn:aws:events:eu-central-1:000000000000:rule/nightly.backup',
    );
  });
});
