/**
 * docs/CONFIG.md and docs/METRICS.md against the code, in both directions: every variable a
 * service reads and every metric it registers is documented, and nothing documented is gone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { envVarNames } from '@lambdock/core';
import { GATEWAY_ENV } from '@lambdock/gateway/config';
import { createMetrics as gatewayMetrics } from '@lambdock/gateway/metrics';
import { SCHEDULER_ENV } from '@lambdock/scheduler/config';
import { createMetrics as schedulerMetrics } from '@lambdock/scheduler/metrics';
import { WORKER_ENV } from '@lambdock/worker/config';
import { createMetrics as workerMetrics } from '@lambdock/worker/metrics';

const read = (file: string): string =>
  readFileSync(new URL(`../../../docs/${file}`, import.meta.url), 'utf8');

/** Backticked names in the first column of table rows, up to an optional stop heading. */
function documentedNames(markdown: string, stopHeading?: string): Set<string> {
  const text = stopHeading ? (markdown.split(stopHeading)[0] ?? '') : markdown;
  return new Set([...text.matchAll(/^\|\s*`([A-Za-z_:0-9]+)`\s*\|/gm)].map((m) => m[1] ?? ''));
}

describe('docs/CONFIG.md', () => {
  const documented = documentedNames(read('CONFIG.md'), '## docker-compose variables');
  const read_ = new Set(
    [GATEWAY_ENV, WORKER_ENV, SCHEDULER_ENV].flatMap((schema) => envVarNames(schema)),
  );

  it('documents every variable a service reads', () => {
    const missing = [...read_].filter((name) => !documented.has(name));
    assert.deepEqual(missing, []);
  });

  it('documents no variable that no service reads', () => {
    const stale = [...documented].filter((name) => !read_.has(name));
    assert.deepEqual(stale, []);
  });
});

describe('docs/METRICS.md', () => {
  const documented = documentedNames(read('METRICS.md'));
  const registered = new Set(
    [
      gatewayMetrics({
        registry: new Registry(),
        queueDepths: async () => ({}),
        processMetrics: false,
      }).registry,
      workerMetrics().registry,
      schedulerMetrics().registry,
    ]
      .flatMap((registry) => registry.getMetricsAsArray().map((m) => m.name))
      .filter((name) => !name.startsWith('process_') && !name.startsWith('nodejs_')),
  );

  it('documents every metric the services register', () => {
    assert.deepEqual(
      [...registered].filter((n) => !documented.has(n)),
      [],
    );
  });

  it('documents no metric that is not registered', () => {
    assert.deepEqual(
      [...documented].filter((n) => !registered.has(n)),
      [],
    );
  });
});
