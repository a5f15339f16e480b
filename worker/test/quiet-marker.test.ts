import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bullmqScripts, quietTakeScripts, type BullScript } from '../src/jobs/quiet-marker.js';

const take = (putBack: string): string => `local rcall = redis.call
local function addBaseMarkerIfNeeded(markerKey, isPausedOrMaxed)
  if not isPausedOrMaxed then
    rcall("ZADD", markerKey, 0, "0")
  end
end
local function prepareJobForProcessing(keyPrefix, rateLimiterKey, eventStreamKey,
    jobId, processedOn, maxJobs, limiterDuration, markerKey, opts)
  local jobKey = keyPrefix .. jobId
  rcall("HINCRBY", jobKey, "ats", 1)
${putBack}
  return {rcall("HGETALL", jobKey), jobId, 0, 0}
end
addBaseMarkerIfNeeded(KEYS[11], false)
return prepareJobForProcessing(ARGV[1], KEYS[6], KEYS[4], ARGV[4], ARGV[2], nil, nil, KEYS[11], {})
`;

const script = (name: string, content: string): BullScript => ({ name, content, keys: 11 });

describe('quiet take scripts', () => {
  it("guards the take's put-back of the marker on a waiting job, and nothing else", () => {
    const original = take('  addBaseMarkerIfNeeded(markerKey, false)');
    const { quiet, unchanged } = quietTakeScripts([script('moveToActive', original)]);
    assert.deepEqual(unchanged, []);
    assert.equal(quiet.length, 1);
    const [rewritten] = quiet;
    assert.equal(rewritten?.name, 'moveToActive');
    assert.equal(rewritten?.keys, 11);
    assert.equal(
      rewritten?.content,
      original.replace(
        '  addBaseMarkerIfNeeded(markerKey, false)\n',
        '  if rcall("LLEN", keyPrefix .. "wait") > 0 or rcall("ZCARD", keyPrefix .. "prioritized") > 0 then\n' +
          '    addBaseMarkerIfNeeded(markerKey, false)\n' +
          '  end\n',
      ),
    );
    // The script's own call outside the take stays as it was.
    assert.match(rewritten?.content ?? '', /\naddBaseMarkerIfNeeded\(KEYS\[11\], false\)\n/);
  });

  it('leaves out scripts that take no job', () => {
    const other = script('addStandardJob', 'rcall("ZADD", KEYS[1], 0, "0")\n');
    assert.deepEqual(quietTakeScripts([other]), { quiet: [], unchanged: [] });
  });

  it('names a take whose text no longer matches, and leaves it as shipped', () => {
    const moved = script('moveToActive', take('  addBaseMarkerIfNeeded(markerKey, isPaused)'));
    const twice = script(
      'moveToFinished',
      take('  addBaseMarkerIfNeeded(markerKey, false)\n  addBaseMarkerIfNeeded(markerKey, false)'),
    );
    assert.deepEqual(quietTakeScripts([moved, twice]), {
      quiet: [],
      unchanged: ['moveToActive', 'moveToFinished'],
    });
  });

  it('rewrites every take of the BullMQ installed (an upgrade that changes them fails here)', () => {
    const { scripts, version } = bullmqScripts();
    assert.match(version, /^\d+\.\d+\.\d+/);
    const { quiet, unchanged } = quietTakeScripts(scripts);
    assert.deepEqual(unchanged, []);
    const names = quiet.map((s) => s.name);
    assert.ok(names.includes('moveToActive'), names.join());
    assert.ok(names.includes('moveToFinished'), names.join());
    for (const s of quiet) assert.match(s.content, /rcall\("LLEN", keyPrefix \.\. "wait"\) > 0/);
  });
});
