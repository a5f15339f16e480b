/**
 * Execution environments: warm reuse (one container for many sequential invokes), one
 * invocation in flight per environment under parallel load, and AWS's own runtime
 * interface client running unchanged in an Image function.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { functionContainers, RUNTIME_IMAGES } from '../helpers/docker.js';
import {
  createImageFunction,
  createZipFunction,
  invoke,
  ROLE,
  waitActive,
} from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

interface OverlapResult {
  overlap: boolean;
  environment: string;
  served: number;
}

describe('execution environments', () => {
  const ctx = useStack([RUNTIME_IMAGES.node, RUNTIME_IMAGES.ric]);

  it('serves 100 sequential invokes from exactly one container', async () => {
    const name = uniqueName('seq');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-overlap',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const environments = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { output, json } = await invoke(ctx.client, name, {});
      assert.equal(output.FunctionError, undefined);
      environments.add((json as OverlapResult).environment);
    }
    assert.equal(environments.size, 1);
    const containers = await functionContainers(ctx.docker, name);
    assert.equal(containers.length, 1, 'exactly one container was created');
  });

  it('never puts two of 8 parallel invocations into one environment', async () => {
    const name = uniqueName('par');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-overlap',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, () => invoke(ctx.client, name, { sleepMs: 300 })),
      );
      for (const { output, json } of results) {
        assert.equal(output.FunctionError, undefined);
        assert.equal(
          (json as OverlapResult).overlap,
          false,
          'an environment ran two invocations at once',
        );
      }
    }
    const containers = await functionContainers(ctx.docker, name);
    assert.ok(
      containers.length >= 2 && containers.length <= 8,
      `${containers.length} environments for 8 in flight`,
    );
  });

  it("runs an image built on AWS's own runtime interface ctx.client, unchanged", async () => {
    const name = uniqueName('ric');
    await createImageFunction(ctx.client, { name, imageUri: RUNTIME_IMAGES.ric });
    const { output, json, text } = await invoke(ctx.client, name, { from: 'sdk' }, { tail: true });
    assert.equal(output.FunctionError, undefined, text);
    const body = json as { ric: boolean; event: unknown; requestId: string; functionName: string };
    assert.equal(body.ric, true);
    assert.deepEqual(body.event, { from: 'sdk' });
    assert.equal(body.functionName, name);
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    assert.match(
      output.LogResult ? Buffer.from(output.LogResult, 'base64').toString() : '',
      /REPORT RequestId/,
    );
  });

  it('marks an Image function whose image is not present as Failed instead of pulling it', async () => {
    const name = uniqueName('noimg');
    await ctx.client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: ROLE,
        PackageType: 'Image',
        Code: { ImageUri: 'lambdock/does-not-exist:never' },
      }),
    );
    await assert.rejects(
      waitActive(ctx.client, name),
      /"State":"Failed","StateReason":"Image not found/,
    );
  });
});
