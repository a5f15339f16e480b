/**
 * @module
 * Small helpers over the real AWS SDK client used by every end-to-end suite.
 */
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type CreateFunctionCommandInput,
  type InvokeCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { zipFixture } from './zip.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export interface ZipFunctionOptions {
  name: string;
  fixture: string;
  runtime: string;
  handler: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, string>;
  tags?: Record<string, string>;
}

export async function createZipFunction(
  client: LambdaClient,
  options: ZipFunctionOptions,
): Promise<void> {
  const input: CreateFunctionCommandInput = {
    FunctionName: options.name,
    Role: ROLE,
    Runtime: options.runtime as CreateFunctionCommandInput['Runtime'],
    Handler: options.handler,
    Code: { ZipFile: await zipFixture(options.fixture) },
    Timeout: options.timeout ?? 3,
    MemorySize: options.memorySize ?? 128,
    ...(options.environment ? { Environment: { Variables: options.environment } } : {}),
    ...(options.tags ? { Tags: options.tags } : {}),
  };
  await client.send(new CreateFunctionCommand(input));
  await waitActive(client, options.name);
}

/** A Node function of a fixture's `index.handler`, Active. */
export function createNodeFunction(
  client: LambdaClient,
  name: string,
  fixture: string,
  timeout?: number,
): Promise<void> {
  return createZipFunction(client, {
    name,
    fixture,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    ...(timeout === undefined ? {} : { timeout }),
  });
}

export interface ImageFunctionOptions {
  name: string;
  imageUri: string;
  /** ImageConfig.Command: the handler an image's runtime client takes. */
  command?: string[];
  timeout?: number;
}

/** Create an Image function and wait until it is Active. */
export async function createImageFunction(
  client: LambdaClient,
  options: ImageFunctionOptions,
): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: options.name,
      Role: ROLE,
      PackageType: 'Image',
      Code: { ImageUri: options.imageUri },
      ...(options.command ? { ImageConfig: { Command: options.command } } : {}),
      ...(options.timeout === undefined ? {} : { Timeout: options.timeout }),
    }),
  );
  await waitActive(client, options.name);
}

/** A waiter's failure, with where the function stood when it gave up. */
async function explained(client: LambdaClient, name: string, err: unknown): Promise<Error> {
  const state = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name })).then(
    (c) =>
      JSON.stringify({
        State: c.State,
        StateReason: c.StateReason,
        LastUpdateStatus: c.LastUpdateStatus,
        LastUpdateStatusReason: c.LastUpdateStatusReason,
      }),
    (e: unknown) => `unreadable: ${(e as Error).message}`,
  );
  return new Error(`waiting for ${name} failed (${(err as Error).message}); it is ${state}`, {
    cause: err,
  });
}

export async function waitActive(client: LambdaClient, name: string): Promise<void> {
  await waitUntilFunctionActiveV2(
    { client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
    { FunctionName: name },
  ).catch(async (err: unknown) => {
    throw await explained(client, name, err);
  });
}

export async function waitUpdated(client: LambdaClient, name: string): Promise<void> {
  await waitUntilFunctionUpdatedV2(
    { client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
    { FunctionName: name },
  ).catch(async (err: unknown) => {
    throw await explained(client, name, err);
  });
}

export interface Invocation {
  output: InvokeCommandOutput;
  text: string;
  json: unknown;
  log: string;
}

export async function invoke(
  client: LambdaClient,
  name: string,
  payload: unknown = {},
  extra: { tail?: boolean; clientContext?: unknown } = {},
): Promise<Invocation> {
  const output = await client.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: Buffer.from(JSON.stringify(payload)),
      ...(extra.tail ? { LogType: 'Tail' } : {}),
      ...(extra.clientContext !== undefined
        ? { ClientContext: Buffer.from(JSON.stringify(extra.clientContext)).toString('base64') }
        : {}),
    }),
  );
  const text = Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8');
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const log = output.LogResult ? Buffer.from(output.LogResult, 'base64').toString('utf8') : '';
  return { output, text, json, log };
}
