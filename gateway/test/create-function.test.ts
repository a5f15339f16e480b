import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  ACCOUNT,
  ROLE,
  arn,
  cfg,
  createRequestBody,
  createTestGateway,
} from './helpers/test-app.js';
import { HANDLER_ZIP } from './helpers/zip.js';

const BASE = '/2015-03-31/functions';

describe('CreateFunction', () => {
  it('answers 201 with the Pending configuration AWS returns and queues a prepare job', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ Timeout: 5, MemorySize: 256 }));
    assert.equal(res.status, 201);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.ok(res.headers['x-amzn-requestid']);
    const body = res.body as Record<string, unknown>;
    assert.equal(body.FunctionArn, arn('demo'));
    assert.equal(body.State, 'Pending');
    assert.equal(body.StateReason, 'The function is being created.');
    assert.equal(body.StateReasonCode, 'Creating');
    assert.equal(body.Version, '$LATEST');
    assert.equal(body.Timeout, 5);
    assert.equal(body.MemorySize, 256);
    assert.equal(body.LastUpdateStatus, undefined);
    assert.equal(body.Environment, undefined);
    assert.equal(body.CodeSize, HANDLER_ZIP.length);
    assert.equal(body.CodeSha256, createHash('sha256').update(HANDLER_ZIP).digest('base64'));
    assert.match(String(body.LastModified), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.match(String(body.RevisionId), /^[0-9a-f-]{36}$/);
    const stored = await gw.registry.get('demo');
    assert.ok(
      (stored?.generation ?? 0) > 1,
      'generation comes from the clock, never restarts at 1',
    );
    assert.deepEqual(gw.queue.prepare, [{ functionName: 'demo', generation: stored?.generation }]);
    assert.equal(stored?.codeKey, createHash('sha256').update(HANDLER_ZIP).digest('hex'));
    assert.ok(gw.registry.code.has(stored?.codeKey ?? ''));
  });

  it('creates an image function without Runtime/Handler and with ImageConfigResponse', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send({
        FunctionName: 'img',
        Role: ROLE,
        PackageType: 'Image',
        Code: { ImageUri: 'repo/img:latest' },
        ImageConfig: {
          EntryPoint: ['sh'],
          Command: ['-c', 'echo test'],
          WorkingDirectory: '/app1',
        },
        Environment: { Variables: { CUSTOM_ENV: 'test' } },
      });
    assert.equal(res.status, 201);
    assert.equal(cfg(res).Runtime, undefined);
    assert.equal(cfg(res).Handler, undefined);
    assert.equal(cfg(res).RuntimeVersionConfig, undefined);
    assert.deepEqual(cfg(res).ImageConfigResponse, {
      ImageConfig: { EntryPoint: ['sh'], Command: ['-c', 'echo test'], WorkingDirectory: '/app1' },
    });
    assert.deepEqual(cfg(res).Environment, { Variables: { CUSTOM_ENV: 'test' } });
    assert.equal(cfg(res).CodeSha256, createHash('sha256').update('repo/img:latest').digest('hex'));
  });

  it('accepts a full ARN of our region and account as FunctionName', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ FunctionName: arn('viaarn') }));
    assert.equal(res.status, 201);
    assert.equal(cfg(res).FunctionName, 'viaarn');
  });

  it('refuses a duplicate name with 409 and AWS wording', async () => {
    const gw = createTestGateway();
    await request(gw.app).post(BASE).send(createRequestBody()).expect(201);
    const res = await request(gw.app).post(BASE).send(createRequestBody());
    assert.equal(res.status, 409);
    assert.equal(res.headers['x-amzn-errortype'], 'ResourceConflictException');
    assert.deepEqual(res.body, { Type: 'User', message: 'Function already exist: demo' });
  });

  it('answers 503 and stores nothing when the prepare job cannot be queued', async () => {
    const gw = createTestGateway();
    gw.queue.down = true;
    const res = await request(gw.app).post(BASE).send(createRequestBody());
    assert.equal(res.status, 503);
    assert.equal(res.headers['x-amzn-errortype'], 'ServiceException');
    assert.equal(await gw.registry.get('demo'), undefined);
  });
});

describe('CreateFunction validation', () => {
  type Case = [string, Record<string, unknown>, number, string, Record<string, unknown>];
  const cases: Case[] = [
    [
      'a Role that is not an IAM role ARN',
      { Role: 'r1' },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
      },
    ],
    [
      'a Timeout over 900',
      { Timeout: 3000 },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '3000' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      },
    ],
    [
      'two broken constraints at once',
      { Timeout: 0, MemorySize: 64 },
      400,
      'ValidationException',
      {
        message:
          "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
      },
    ],
    [
      'MemorySize above the service limit',
      { MemorySize: 10_241 },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 10240",
      },
    ],
    [
      'a missing Role',
      { Role: undefined },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null",
      },
    ],
    [
      'an unknown runtime',
      { Runtime: 'non-existent-runtime' },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          "Value non-existent-runtime at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2] or be a valid ARN",
      },
    ],
    [
      'a runtime in another letter case',
      { Runtime: 'PYTHON3.9' },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          "Value PYTHON3.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2] or be a valid ARN",
      },
    ],
    ...['dotnetcore3.1', 'go1.x', 'java8', 'nodejs12.x', 'nodejs14.x', 'python3.7', 'ruby2.7'].map(
      (runtime): Case => [
        `the retired runtime ${runtime}`,
        { Runtime: runtime },
        400,
        'InvalidParameterValueException',
        {
          Type: 'User',
          message: `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
        },
      ],
    ),
    [
      'a security group id that is not one',
      {
        VpcConfig: {
          SubnetIds: ['subnet-0123456789abcdef0'],
          SecurityGroupIds: ['sg-0a1', 'invalid_sg-123'],
        },
      },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '[sg-0a1, invalid_sg-123]' at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: sg-[0-9a-zA-Z]*]",
      },
    ],
    [
      'a subnet id that is not one',
      { VpcConfig: { SubnetIds: ['invalid_subnet-123'], SecurityGroupIds: ['sg-0a1'] } },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '[invalid_subnet-123]' at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: subnet-[0-9a-z]*]",
      },
    ],
    [
      'a SnapStart option that is not one',
      { SnapStart: { ApplyOn: 'invalidOption' } },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value 'invalidOption' at 'snapStart.applyOn' failed to satisfy constraint: Member must satisfy enum value set: [PublishedVersions, None]",
      },
    ],
    [
      'a runtime AWS offers and lambdock does not ship',
      { Runtime: 'java21' },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          'The runtime parameter of java21 is not supported by lambdock, which runs nodejs20.x, python3.11, provided, provided.al2, provided.al2023. Package the function as a container image (PackageType Image) to run it on any other runtime.',
      },
    ],
    [
      'a zip function without Handler',
      { Handler: undefined },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
      },
    ],
    [
      'bytes that are not a zip',
      { Code: { ZipFile: Buffer.from('not a zip at all').toString('base64') } },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
      },
    ],
    [
      'two architectures',
      { Architectures: ['x86_64', 'arm64'] },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1",
      },
    ],
    [
      'an unknown architecture',
      { Architectures: ['X86_64'] },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
      },
    ],
    [
      'a description over 256 characters',
      { Description: 'd'.repeat(257) },
      400,
      'ValidationException',
      {
        message: `1 validation error detected: Value '${'d'.repeat(257)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
      },
    ],
    [
      'ephemeral storage under 512 MB',
      { EphemeralStorage: { Size: 100 } },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '100' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512",
      },
    ],
    [
      'an environment over 4 KB',
      { Environment: { Variables: { LARGE_VAR: 'x'.repeat(4081) } } },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message: `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"LARGE_VAR":"${'x'.repeat(4081)}"}`,
      },
    ],
    [
      'a reserved environment key',
      { Environment: { Variables: { AWS_REGION: 'eu-west-1' } } },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION',
      },
    ],
    [
      'Handler on an image function',
      { PackageType: 'Image', Code: { ImageUri: 'repo/x:1' }, Runtime: undefined },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.",
      },
    ],
    [
      'more than 50 tags',
      { Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
      400,
      'InvalidParameterValueException',
      { Type: 'User', message: 'Number of tags exceeds resource tag limit.' },
    ],
    [
      'a 65-character name',
      { FunctionName: 'a'.repeat(65) },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message: `1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      },
    ],
    [
      'an ARN in another region',
      { FunctionName: `arn:aws:lambda:ap-southeast-1:${ACCOUNT}:function:demo` },
      404,
      'ResourceNotFoundException',
      {
        Type: 'User',
        Message: "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')",
      },
    ],
  ];
  for (const [label, overrides, status, errorType, body] of cases) {
    it(`refuses ${label}`, async () => {
      const gw = createTestGateway();
      const res = await request(gw.app).post(BASE).send(createRequestBody(overrides));
      assert.equal(res.status, status);
      assert.equal(res.headers['x-amzn-errortype'], errorType);
      assert.deepEqual(res.body, body);
      assert.equal(gw.registry.records.size, 0);
      assert.equal(gw.queue.prepare.length, 0);
    });
  }

  it('accepts a well-formed VpcConfig, which it does not use, and SnapStart None only', async () => {
    const gw = createTestGateway();
    const snap = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ SnapStart: { ApplyOn: 'PublishedVersions' } }));
    assert.equal(snap.status, 400);
    assert.deepEqual(snap.body, {
      Type: 'User',
      message:
        'lambdock does not support SnapStart: leave SnapStart out, or set its ApplyOn to None.',
    });
    assert.equal(gw.registry.records.size, 0);
    const res = await request(gw.app)
      .post(BASE)
      .send(
        createRequestBody({
          VpcConfig: { SubnetIds: ['subnet-0123abc'], SecurityGroupIds: ['sg-0A1b'] },
          SnapStart: { ApplyOn: 'None' },
        }),
      );
    assert.equal(res.status, 201);
    assert.deepEqual((res.body as { SnapStart: unknown }).SnapStart, {
      ApplyOn: 'None',
      OptimizationStatus: 'Off',
    });
  });
});
