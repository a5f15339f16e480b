import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFunctionConfiguration, type FunctionRecord } from '../src/index.js';

const ctx = { region: 'us-east-1', accountId: '111111111111' };

function zipRecord(overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  return {
    name: 'demo',
    packageType: 'Zip',
    runtime: 'python3.11',
    handler: 'handler.handler',
    role: 'arn:aws:iam::111111111111:role/r',
    description: '',
    timeoutS: 3,
    memoryMb: 128,
    ephemeralStorageMb: 512,
    environment: {},
    codeSha256: 'x'.repeat(43) + '=',
    codeKey: 'ab'.repeat(32),
    codeSize: 100,
    architectures: ['x86_64'],
    loggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/demo' },
    tags: {},
    state: 'Pending',
    stateReason: 'The function is being created.',
    stateReasonCode: 'Creating',
    revisionId: '00000000-0000-4000-8000-000000000001',
    lastModified: '2026-01-01T00:00:00.000+0000',
    generation: 1,
    ...overrides,
  };
}

function imageRecord(overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  const rest: Partial<FunctionRecord> = zipRecord();
  delete rest.runtime;
  delete rest.handler;
  delete rest.codeKey;
  return {
    ...(rest as FunctionRecord),
    packageType: 'Image',
    imageUri: 'repo/demo:latest',
    imageConfig: { EntryPoint: ['sh'], Command: ['-c', 'echo test'], WorkingDirectory: '/app1' },
    codeSha256: 'cd'.repeat(32),
    codeSize: 0,
    ...overrides,
  };
}

const sorted = (o: object): string[] => Object.keys(o).sort();

// Key sets copied from the oracle (1_function_configuration), one per context.
const COMMON = [
  'Architectures',
  'CodeSha256',
  'CodeSize',
  'Description',
  'EphemeralStorage',
  'FunctionArn',
  'FunctionName',
  'LastModified',
  'LoggingConfig',
  'MemorySize',
  'PackageType',
  'RevisionId',
  'Role',
  'SnapStart',
  'Timeout',
  'TracingConfig',
  'Version',
];
const ZIP_CREATE = [
  ...COMMON,
  'Handler',
  'Runtime',
  'RuntimeVersionConfig',
  'State',
  'StateReason',
  'StateReasonCode',
];
const ZIP_ACTIVE = [
  ...COMMON,
  'Handler',
  'Runtime',
  'RuntimeVersionConfig',
  'State',
  'LastUpdateStatus',
];
const ZIP_UPDATING = [...ZIP_ACTIVE, 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode'];
const ZIP_LIST = [...COMMON, 'Handler', 'Runtime'];
const IMAGE_CREATE = [...COMMON, 'State', 'StateReason', 'StateReasonCode', 'ImageConfigResponse'];

const active = {
  state: 'Active',
  stateReason: undefined,
  stateReasonCode: undefined,
  lastUpdateStatus: 'Successful',
} as const;
const updating = {
  ...active,
  lastUpdateStatus: 'InProgress',
  lastUpdateStatusReason: 'The function is being created.',
  lastUpdateStatusReasonCode: 'Creating',
} as const;

describe('toFunctionConfiguration key sets', () => {
  const table: Array<[string, FunctionRecord, 'detail' | 'list', string[]]> = [
    ['CreateFunction response (zip, Pending)', zipRecord(), 'detail', ZIP_CREATE],
    ['GetFunctionConfiguration after Active (zip)', zipRecord(active), 'detail', ZIP_ACTIVE],
    ['Update* immediate response (zip, InProgress)', zipRecord(updating), 'detail', ZIP_UPDATING],
    ['ListFunctions item (zip)', zipRecord(updating), 'list', ZIP_LIST],
    ['CreateFunction response (image with ImageConfig)', imageRecord(), 'detail', IMAGE_CREATE],
    [
      'ListFunctions item (image, no ImageConfig)',
      imageRecord({ imageConfig: {} }),
      'list',
      COMMON,
    ],
  ];
  for (const [label, record, view, keys] of table) {
    it(label, () => {
      assert.deepEqual(sorted(toFunctionConfiguration(record, { ...ctx, view })), [...keys].sort());
    });
  }

  it('hides stale reasons once a state settles', () => {
    const config = toFunctionConfiguration(
      zipRecord({ ...active, stateReason: 'old', lastUpdateStatusReason: 'old' }),
      ctx,
    );
    assert.equal(config.StateReason, undefined);
    assert.equal(config.LastUpdateStatusReason, undefined);
  });

  it('shows StateReason for a Failed function', () => {
    const config = toFunctionConfiguration(
      zipRecord({
        state: 'Failed',
        stateReason: 'image missing',
        stateReasonCode: 'ImageNotFound',
      }),
      ctx,
    );
    assert.equal(config.StateReason, 'image missing');
    assert.equal(config.StateReasonCode, 'ImageNotFound');
  });
});

describe('toFunctionConfiguration values', () => {
  it('renders the defaults AWS shows', () => {
    const config = toFunctionConfiguration(zipRecord(), ctx);
    assert.equal(config.FunctionArn, 'arn:aws:lambda:us-east-1:111111111111:function:demo');
    assert.equal(config.Version, '$LATEST');
    assert.deepEqual(config.Architectures, ['x86_64']);
    assert.deepEqual(config.EphemeralStorage, { Size: 512 });
    assert.deepEqual(config.SnapStart, { ApplyOn: 'None', OptimizationStatus: 'Off' });
    assert.deepEqual(config.TracingConfig, { Mode: 'PassThrough' });
    assert.deepEqual(config.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/demo' });
    assert.match(
      config.RuntimeVersionConfig?.RuntimeVersionArn ?? '',
      /^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/,
    );
  });

  it('qualifies the ARN when asked', () => {
    const config = toFunctionConfiguration(zipRecord(), { ...ctx, arnQualifier: '$LATEST' });
    assert.equal(config.FunctionArn, 'arn:aws:lambda:us-east-1:111111111111:function:demo:$LATEST');
  });

  it('shows Environment only when variables are set, as a copy', () => {
    assert.equal(toFunctionConfiguration(zipRecord(), ctx).Environment, undefined);
    const record = zipRecord({ environment: { A: 'a' } });
    const variables: Record<string, string> =
      toFunctionConfiguration(record, ctx).Environment?.Variables ?? {};
    variables.B = 'b';
    assert.deepEqual(variables, { A: 'a', B: 'b' });
    assert.deepEqual(record.environment, { A: 'a' });
  });

  it('shows only the ImageConfig fields that were set', () => {
    const config = toFunctionConfiguration(imageRecord({ imageConfig: { Command: ['x'] } }), ctx);
    assert.deepEqual(config.ImageConfigResponse, { ImageConfig: { Command: ['x'] } });
    assert.equal(config.Runtime, undefined);
    assert.equal(config.Handler, undefined);
  });

  it('changes the runtime version ARN with the runtime', () => {
    const a = toFunctionConfiguration(zipRecord({ runtime: 'python3.11' }), ctx);
    const b = toFunctionConfiguration(zipRecord({ runtime: 'nodejs20.x' }), ctx);
    assert.notEqual(
      a.RuntimeVersionConfig?.RuntimeVersionArn,
      b.RuntimeVersionConfig?.RuntimeVersionArn,
    );
  });
});
