import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { createOrphanReaper } from '../src/fleet/orphan-reaper.js';
import { fakeDriver } from './helpers/fakes.js';

function driverWith(owners: Record<string, string>) {
  const driver = fakeDriver();
  for (const [id, owner] of Object.entries(owners)) {
    driver.containers.set(id, {
      id,
      labels: { 'lambdock.managed': 'true', 'lambdock.worker': owner },
    });
  }
  return driver;
}

describe('orphan reaper', () => {
  it('removes containers of dead workers and never those of live ones', async () => {
    const driver = driverWith({ c1: 'dead', c2: 'alive', c3: 'me', c5: 'stranger' });
    const reaper = createOrphanReaper({
      driver,
      // `stranger` belongs to another installation on the same engine: never ours to remove.
      workers: async () => ({
        live: new Set(['alive', 'me']),
        known: new Set(['alive', 'me', 'dead']),
      }),
      workerId: 'me',
      logger: createSilentLogger(),
    });
    assert.equal(await reaper.sweep(false), 1);
    assert.deepEqual(driver.removed, ['c1']);
  });

  it('on start also removes what an earlier process with this id left', async () => {
    const driver = driverWith({ c3: 'me', c4: 'alive' });
    let reaped = 0;
    const reaper = createOrphanReaper({
      driver,
      workers: async () => ({ live: new Set(['alive', 'me']), known: new Set(['alive', 'me']) }),
      workerId: 'me',
      logger: createSilentLogger(),
      onReaped: (n) => (reaped += n),
    });
    await reaper.sweep(true);
    assert.deepEqual(driver.removed, ['c3']);
    assert.equal(reaped, 1);
  });
});
