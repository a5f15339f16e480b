import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAppError, type RouteRecord } from '@lambdock/core';
import { applySourcesFile, planSourcesFile } from '../src/sources/sources-file.js';
import { createMemorySources } from './helpers/memory-sources.js';

const context = {
  ctx: { region: 'us-east-1', accountId: '111111111111' },
  env: { HOOK_SECRET: 'a-long-enough-secret-value' },
  nowMs: Date.UTC(2026, 0, 1),
};

const FILE = {
  routes: [
    { RouteKey: 'GET /hello/{name}', FunctionName: 'hello' },
    { RouteKey: 'ANY /v1/{proxy+}', FunctionName: 'legacy', PayloadFormatVersion: '1.0' },
  ],
  schedules: [
    { Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', FunctionName: 'cleanup' },
  ],
  webhooks: [{ Name: 'photos', SecretEnv: 'HOOK_SECRET' }],
  storageTriggers: [
    {
      Id: 'thumbs',
      Webhook: 'photos',
      Bucket: 'photos',
      Events: ['s3:ObjectCreated:*'],
      Suffix: '.jpg',
      FunctionName: 'thumbnailer',
    },
  ],
};

function writeFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ldk-sources-')), 'sources.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(isAppError(err));
    return (err as unknown as { problems: readonly string[] }).problems;
  }
  assert.fail('expected a ConfigError');
}

describe('sources file', () => {
  it('applies every section, owned by the file, and is idempotent', async () => {
    const sources = createMemorySources();
    const path = writeFile(FILE);
    assert.deepEqual(await applySourcesFile(path, sources.stores, context), {
      routes: 2,
      schedules: 1,
      webhooks: 1,
      triggers: 1,
    });
    const routes = await sources.stores.routes.list();
    assert.deepEqual(
      routes.map((r) => [r.routeKey, r.functionName, r.payloadFormatVersion, r.managedBy]).sort(),
      [
        ['ANY /v1/{proxy+}', 'legacy', '1.0', 'file'],
        ['GET /hello/{name}', 'hello', '2.0', 'file'],
      ],
    );
    const hook = await sources.stores.webhooks.get('photos');
    assert.equal(hook?.secretSha256.length, 64);
    assert.notEqual(hook?.secretSha256, context.env.HOOK_SECRET);
    const before = await sources.stores.schedules.get('nightly');
    await applySourcesFile(path, sources.stores, { ...context, nowMs: context.nowMs + 86_400_000 });
    assert.equal((await sources.stores.routes.list()).length, 2);
    // The creation time (the rate anchor) survives re-applying.
    assert.equal((await sources.stores.schedules.get('nightly'))?.createdAtMs, before?.createdAtMs);
  });

  it('removes what the file no longer lists, and leaves API records alone', async () => {
    const sources = createMemorySources();
    const api: RouteRecord = {
      routeId: 'api0001',
      routeKey: 'POST /items',
      functionName: 'items',
      payloadFormatVersion: '2.0',
      timeoutMs: 30_000,
      managedBy: 'api',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await sources.stores.routes.create(api.routeId, api);
    await applySourcesFile(writeFile(FILE), sources.stores, context);
    await applySourcesFile(writeFile({ routes: [FILE.routes[0]] }), sources.stores, context);
    assert.deepEqual((await sources.stores.routes.list()).map((r) => r.routeKey).sort(), [
      'GET /hello/{name}',
      'POST /items',
    ]);
    assert.deepEqual(await sources.stores.schedules.list(), []);
    assert.deepEqual(await sources.stores.triggers.list(), []);
  });

  it('refuses a route of the file that conflicts with an API route, writing nothing', async () => {
    const sources = createMemorySources();
    await sources.stores.routes.create('api0002', {
      routeId: 'api0002',
      routeKey: 'GET /hello/{who}',
      functionName: 'other',
      payloadFormatVersion: '2.0',
      timeoutMs: 30_000,
      managedBy: 'api',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    await assert.rejects(applySourcesFile(writeFile(FILE), sources.stores, context), /conflicts/);
    assert.equal((await sources.stores.routes.list()).length, 1);
    assert.deepEqual(await sources.stores.schedules.list(), []);
  });

  it('lists every problem of a bad file at once', () => {
    const problems = problemsOf(() =>
      planSourcesFile(
        JSON.stringify({
          routes: [
            { RouteKey: 'GET /2015-03-31/functions', FunctionName: 'x' },
            { FunctionName: 'y' },
          ],
          schedules: [{ Name: 'bad', ScheduleExpression: 'rate(1 minutes)', FunctionName: 'f' }],
          webhooks: [{ Name: 'w', SecretEnv: 'UNSET_VARIABLE' }],
          storageTriggers: [
            {
              Id: 't',
              Webhook: 'nope',
              Bucket: 'b',
              Events: ['s3:ObjectCreated:*'],
              FunctionName: 'f',
            },
          ],
          extra: [],
        }),
        context,
      ),
    );
    assert.equal(problems.length, 6, problems.join('\n'));
    assert.match(problems[0] ?? '', /unknown section extra/);
    assert.match(problems.join('\n'), /routes\[0\]: .*served by lambdock itself/);
    assert.match(problems.join('\n'), /routes\[1\]: .*RouteKey is required/);
    assert.match(problems.join('\n'), /schedules\[0\]: .*singular/);
    assert.match(problems.join('\n'), /webhooks\[0\]: needs Secret/);
    assert.match(problems.join('\n'), /storageTriggers t: webhook nope is not in the file/);
  });

  it('refuses text that is not JSON', () => {
    assert.match(problemsOf(() => planSourcesFile('{routes: [', context))[0] ?? '', /not JSON/);
  });
});
