import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envVarNames } from '@lambdock/core';
import { loadConfig, WORKER_ENV } from '../src/config.js';

const host = { hostname: 'box', pid: 42 };

describe('worker config', () => {
  it('applies defaults from an empty environment', () => {
    const config = loadConfig({}, host);
    assert.equal(config.port, 9101);
    assert.equal(config.workerId, 'box-42');
    assert.equal(config.maxEnvironments, 16);
    assert.equal(config.functionNetwork, 'lambdock-functions');
    assert.equal(config.runtimeApiHost, undefined);
    assert.equal(config.codeDir, '/var/lib/lambdock/code');
    assert.equal(config.containerUser, '993:993');
    assert.equal(config.dockerSocket, '/var/run/docker.sock');
    assert.equal(config.imagePullRegistry, undefined);
    assert.equal(config.functionNetworkInternal, false);
    assert.ok(Object.isFrozen(config));
  });

  it('reports every bad variable at once', () => {
    assert.throws(
      () =>
        loadConfig(
          {
            WORKER_PORT: 'x',
            WORKER_ID: 'has space',
            RUNTIME_API_HOST: '300.1.1.1',
            CONTAINER_USER: '0',
            WORKER_CODE_DIR: 'relative/dir',
          },
          host,
        ),
      (err: Error & { problems?: string[] }) => err.problems?.length === 5,
    );
  });

  it('accepts an explicit worker id, Runtime API address and root-free user', () => {
    const config = loadConfig(
      { WORKER_ID: 'w-1.a', RUNTIME_API_HOST: '10.213.0.2', CONTAINER_USER: '1000:1000' },
      host,
    );
    assert.equal(config.workerId, 'w-1.a');
    assert.equal(config.runtimeApiHost, '10.213.0.2');
    assert.equal(config.containerUser, '1000:1000');
  });

  it('keeps a default worker id safe for Docker labels', () => {
    assert.equal(loadConfig({}, { hostname: 'a b:c', pid: 1 }).workerId, 'a_b_c-1');
  });

  it('declares every variable once, with units in time and size names', () => {
    const names = envVarNames(WORKER_ENV);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) {
      if (/TIMEOUT|INTERVAL|DURATION|TTL/.test(name)) assert.match(name, /_(MS|S)$/, name);
      if (/LIMIT|BUDGET/.test(name) && !/CONCURRENCY/.test(name))
        assert.match(name, /_(BYTES|MB)$/, name);
    }
  });
});
