/**
 * @module
 * Invocations of a function's versions and aliases through the real AWS SDK for the
 * versions-and-aliases suite: what each call reports it ran, load at a bounded concurrency,
 * and AWS's error answers.
 */
import assert from 'node:assert/strict';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

const ACCOUNT = '000000000000';
export const TOTAL = 1000;
export const CONCURRENCY = 8;
export const PRECONDITION =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';

export interface Ran {
  /** X-Amz-Executed-Version. */
  executed: string;
  /** What the function says it is: its LABEL variable and the version the runtime was told. */
  label: string;
  functionVersion: string;
  invokedArn: string;
  startedAt: number;
  finishedAt: number;
}

interface EchoBody {
  functionVersion: string;
  invokedFunctionArn: string;
  userEnv: Record<string, string>;
}

export const arnOf = (name: string, qualifier?: string): string =>
  `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

export async function run(client: LambdaClient, name: string, qualifier?: string): Promise<Ran> {
  const startedAt = Date.now();
  const out = await client.send(
    new InvokeCommand({
      FunctionName: name,
      ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
      Payload: Buffer.from('{}'),
    }),
  );
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString();
  assert.equal(out.StatusCode, 200, text);
  assert.equal(out.FunctionError, undefined, text);
  const body = JSON.parse(text) as EchoBody;
  return {
    executed: out.ExecutedVersion ?? '',
    label: body.userEnv.LABEL ?? '',
    functionVersion: body.functionVersion,
    invokedArn: body.invokedFunctionArn,
    startedAt,
    finishedAt: Date.now(),
  };
}

/** `total` calls of `task`, at most `concurrency` at a time; every outcome is kept. */
export async function bounded<T>(
  total: number,
  concurrency: number,
  task: () => Promise<T>,
): Promise<Array<PromiseSettledResult<T>>> {
  const results: Array<PromiseSettledResult<T>> = [];
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < total) {
      started += 1;
      results.push(
        await task().then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

export function fulfilled<T>(results: Array<PromiseSettledResult<T>>): T[] {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.deepEqual(
    failures.map((f) => String(f.reason)),
    [],
    'every request succeeds',
  );
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** The label each version was published with. */
const LABELS: Record<string, string> = { $LATEST: 'v3', '1': 'v1', '2': 'v2' };

export function assertReportsWhatRan(ran: Ran, name: string, alias: string): void {
  assert.equal(ran.label, LABELS[ran.executed], `executed ${ran.executed} but ran ${ran.label}`);
  assert.equal(ran.functionVersion, ran.executed);
  assert.equal(ran.invokedArn, arnOf(name, alias));
}

export async function expectError(
  promise: Promise<unknown>,
  expected: { name: string; status: number; message: string },
): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.deepEqual(
      { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message },
      expected,
    );
    return true;
  });
}
