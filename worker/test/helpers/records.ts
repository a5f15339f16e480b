/**
 * @module
 * Function records for tests.
 */
import type { FunctionRecord } from '@lambdock/core';

export function record(overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  return {
    name: 'demo',
    packageType: 'Zip',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::000000000000:role/demo',
    description: '',
    timeoutS: 3,
    memoryMb: 128,
    ephemeralStorageMb: 512,
    environment: {},
    codeSha256: 'x',
    codeKey: 'a'.repeat(64),
    codeSize: 1,
    architectures: ['x86_64'],
    loggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/demo' },
    tags: {},
    state: 'Active',
    revisionId: 'r1',
    lastModified: '2026-01-01T00:00:00.000+0000',
    generation: 1,
    ...overrides,
  };
}
